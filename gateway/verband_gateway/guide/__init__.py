"""The public offer guide (aanbodgids): pages for residents and an Open Referral HSDS 3.0
API, both without sign-in, read-only and rate-limited per client address. Everything they
show comes from the partners service's public RPCs, which answer only public fields."""
