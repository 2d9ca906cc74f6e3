package storage

import (
	"context"
	"fmt"

	"github.com/orquestra/orquestra/models"
)

// Setting returns the value stored under key, storing generate() first when
// there is none. When two servers start at once, both get the value that
// was stored first.
func (s *Store) Setting(ctx context.Context, key string, generate func() (string, error)) (string, error) {
	value, err := generate()
	if err != nil {
		return "", fmt.Errorf("generate setting %s: %w", key, err)
	}

	_, err = s.write.NewInsert().Model(&models.Setting{Key: key, Value: value}).
		On("CONFLICT (key) DO NOTHING").Exec(ctx)
	if err != nil {
		return "", fmt.Errorf("store setting %s: %w", key, err)
	}

	setting := new(models.Setting)
	if err := s.write.NewSelect().Model(setting).Where("key = ?", key).Scan(ctx); err != nil {
		return "", fmt.Errorf("read setting %s: %w", key, err)
	}

	return setting.Value, nil
}
