"""Municipality cards for the 2025 reform: one page per municipality of Pirkanmaa that answers
"what does the reform mean for us".

``figures`` computes what every card reads once per data folder (the comparison of the 2025
alternatives, every legal partition summarised, the reality check); ``card`` takes one
municipality's figures and words its answer; ``notebook`` shows them (tables, charts, the card's
stylesheet), writes the card's workbook and lists the cards as report jobs. A card reads the
scenarios' and the partitions' results; it computes none of its own.
"""
