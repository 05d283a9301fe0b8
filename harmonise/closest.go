package harmonise

// Closest returns the candidate a misspelt name most probably meant (case
// ignored, a few edits away), or "" when none is near; other packages'
// configuration files use it to say "did you mean …?" as mapping files do.
func Closest(name string, candidates []string) string { return closest(name, candidates) }
