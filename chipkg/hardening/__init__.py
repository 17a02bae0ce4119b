"""Limits on the files chipkg reads (see `files`)."""
