"""Onboarding: import an existing catalog (saved PRD responses or a public endpoint) and
migrate product files from older CDS versions (V3-V6) to V7, or down to V6."""
