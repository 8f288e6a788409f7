"""Public statistics: the measure catalogue, the municipality register and the one loader
(``loader``), coverage (``coverage``), and refreshing them from Statistics Finland's PxWeb API
(``pxweb`` the client, ``fetch`` the table mapping, ``refresh`` the writer)."""
