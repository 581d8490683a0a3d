"""The pure core: models, ports, extraction, rules, pipeline. No I/O, no platform."""
