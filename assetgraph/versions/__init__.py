"""Versions: code versions from source, and the digests behind data versions."""
