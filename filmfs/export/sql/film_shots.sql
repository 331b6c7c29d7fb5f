SELECT a.*, r.sequence
FROM assets_v2 a
JOIN asset_relationships r ON r.child_asset_id = a.id
WHERE r.parent_asset_id = :film_id
  AND r.relationship_type = 'contains_shot'
  AND a.type = 'shot'
ORDER BY r.sequence;
