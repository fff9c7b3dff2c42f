"""Matchmaking (供需对接): candidates, features, a learned ranker and reasons."""
