SELECT a.*
FROM assets_v2 a
JOIN asset_relationships r ON r.child_asset_id = a.id
WHERE r.parent_asset_id = :shot_id
  AND r.relationship_type = 'uses_character'
  AND a.type = 'character_ref';
