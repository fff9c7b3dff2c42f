"""The curated demo ecosystem (ecosystem.jsonl), built by scripts/build_demo.py."""
