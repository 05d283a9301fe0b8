// Package synth generates deterministic synthetic geological maps for demos,
// tests and benchmarks: a coverage of units with exactly shared borders, shaped
// like a real national survey map. Everything it makes is labelled synthetic.
package synth
