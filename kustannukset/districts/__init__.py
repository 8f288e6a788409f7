"""Every legal way to organise a region's employment services: all partitions of its
municipalities into contiguous employment areas that reach the labour-force threshold, counted and
evaluated without listing them.

Layers, top to bottom (an import-linter contract in pyproject.toml):

- ``report``: what the all-partitions notebook shows, and its report job;
- ``summaries``: the summaries of one region (distributions, top lists, the decided areas) and of
  the whole country, as tables;
- ``region``: the adapter to the scenarios domain, the only module that reads it (through the
  ``kustannukset.scenarios`` package's public interface): a region's municipalities, adjacency,
  labour force, threshold, the cost basis (key and pool as functions of an area's members), the
  decided areas;
- ``evaluation`` and ``search``: plain numbers over the blocks of the partitions: each
  municipality's payment distribution, and the top partitions by branch and bound;
- ``partitions``: the algorithm (counting, the blocks and their weights, numbering, listing).
"""
