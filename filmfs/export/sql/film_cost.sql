SELECT SUM(a.generation_cost) as total_cost
FROM assets_v2 a
JOIN asset_relationships r ON r.child_asset_id = a.id
WHERE r.parent_asset_id = :film_id
  AND a.generation_cost IS NOT NULL;
