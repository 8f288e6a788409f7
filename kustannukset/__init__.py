"""kustannukset: Pirkanmaan työllisyyspalvelujen yhteisten kustannusten jako kuntien kesken.

Kaikki kaavat ovat tässä paketissa; muistiot (notebooks/) vain kutsuvat niitä ja näyttävät tulokset.
"""

__version__ = "0.1.0"
