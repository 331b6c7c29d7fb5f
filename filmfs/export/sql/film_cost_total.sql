-- The film's true generation cost: every asset reachable from the film, each counted once.
-- (film_cost.sql, the model's query as written, sums only the film's direct children: the
-- shots and the final edit, which carry no cost. Costs live on the takes, two levels down.)
-- UNION (not UNION ALL) visits each asset once, so a shot reached from both the film and its
-- scene is not counted twice and a derived_from cycle cannot loop.
WITH RECURSIVE reachable (id) AS (
  SELECT a.id FROM assets_v2 a WHERE a.id = :film_id
  UNION
  SELECT r.child_asset_id
  FROM asset_relationships r
  JOIN reachable ON r.parent_asset_id = reachable.id
)
SELECT SUM(a.generation_cost) AS total_cost
FROM assets_v2 a
JOIN reachable ON reachable.id = a.id
WHERE a.generation_cost IS NOT NULL;
