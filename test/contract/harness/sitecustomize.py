# Loaded by every Python process of the contract harness (PYTHONPATH points here), including the code the
# "controller VM" runs locally: pins the clock when SKYLOOP_CONTRACT_NOW is set.
import skyloop_clock

skyloop_clock.install()
