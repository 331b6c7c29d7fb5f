SELECT v.*
FROM assets_v2 v
JOIN asset_relationships rv ON rv.child_asset_id = v.id AND rv.relationship_type = 'generated_video'
JOIN assets_v2 take ON take.id = rv.parent_asset_id AND take.type = 'shot_take'
JOIN asset_relationships rt ON rt.child_asset_id = take.id AND rt.relationship_type = 'generation_attempt'
WHERE rt.parent_asset_id = :shot_id
  AND take.metadata->>'selected' = 'true'
  AND v.type = 'video';
