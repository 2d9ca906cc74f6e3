package storage

// groupBy collects rows into lists by a key, keeping their order within
// each list.
func groupBy[T any](rows []T, key func(T) string) map[string][]T {
	groups := make(map[string][]T)
	for _, row := range rows {
		groups[key(row)] = append(groups[key(row)], row)
	}

	return groups
}
