"""Real peers the tests talk to on 127.0.0.1 (Synapse, the Slack emulator, …)."""
