package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/models"
)

// The version columns that list queries leave out: the IDL and its docs can
// be megabytes each, and most queries never ask for them. VersionBodies
// loads them when a query does.
var versionBodyColumns = []string{"idl_json", "cpi_md"}

// VersionNumberKey names one version of one project.
type VersionNumberKey struct {
	ProjectID string
	Number    int
}

// VersionBody is the large part of a version: the IDL and its docs.
type VersionBody struct {
	ID      string  `bun:"id"`
	IDLJSON string  `bun:"idl_json"`
	CpiMd   *string `bun:"cpi_md"`
}

// LatestVersions returns the newest version of each project that has one,
// without the IDL and docs, keyed by project id.
func (s *Store) LatestVersions(ctx context.Context, projectIDs []string) (map[string]*models.IDLVersion, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string]*models.IDLVersion{}, nil
	}

	var versions []models.IDLVersion
	err := s.read.NewSelect().Model(&versions).ExcludeColumn(versionBodyColumns...).
		Where("v.project_id IN (?)", bun.In(projectIDs)).
		Where("v.version = (SELECT MAX(m.version) FROM idl_versions AS m WHERE m.project_id = v.project_id)").
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load latest versions of %d projects: %w", len(projectIDs), err)
	}

	latest := make(map[string]*models.IDLVersion, len(versions))
	for i := range versions {
		latest[versions[i].ProjectID] = &versions[i]
	}

	return latest, nil
}

// VersionsByNumber returns the versions named by keys that exist, without
// the IDL and docs.
func (s *Store) VersionsByNumber(ctx context.Context, keys []VersionNumberKey) (map[VersionNumberKey]*models.IDLVersion, error) {
	projectIDs := make([]string, 0, len(keys))
	numbers := make([]int, 0, len(keys))
	for _, k := range keys {
		if validID(k.ProjectID) {
			projectIDs = append(projectIDs, k.ProjectID)
			numbers = append(numbers, k.Number)
		}
	}
	if len(projectIDs) == 0 {
		return map[VersionNumberKey]*models.IDLVersion{}, nil
	}

	var versions []models.IDLVersion
	err := s.read.NewSelect().Model(&versions).ExcludeColumn(versionBodyColumns...).
		Where("v.project_id IN (?)", bun.In(projectIDs)).
		Where("v.version IN (?)", bun.In(numbers)).
		Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("load %d versions by number: %w", len(keys), err)
	}

	found := make(map[VersionNumberKey]*models.IDLVersion, len(versions))
	for i := range versions {
		v := &versions[i]
		found[VersionNumberKey{ProjectID: v.ProjectID, Number: v.Version}] = v
	}

	return found, nil
}

// VersionBodies returns the IDL and docs of the given versions, keyed by version id.
func (s *Store) VersionBodies(ctx context.Context, ids []string) (map[string]*VersionBody, error) {
	ids = validIDs(ids)
	if len(ids) == 0 {
		return map[string]*VersionBody{}, nil
	}

	var bodies []VersionBody
	err := s.read.NewSelect().Model((*models.IDLVersion)(nil)).Column("id", "idl_json", "cpi_md").
		Where("v.id IN (?)", bun.In(ids)).Scan(ctx, &bodies)
	if err != nil {
		return nil, fmt.Errorf("load the IDLs of %d versions: %w", len(ids), err)
	}

	found := make(map[string]*VersionBody, len(bodies))
	for i := range bodies {
		found[bodies[i].ID] = &bodies[i]
	}

	return found, nil
}

// VersionCounts returns how many versions each project has, keyed by project id.
func (s *Store) VersionCounts(ctx context.Context, projectIDs []string) (map[string]int, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string]int{}, nil
	}

	var rows []struct {
		ProjectID string `bun:"project_id"`
		Count     int    `bun:"count"`
	}
	err := s.read.NewSelect().Model((*models.IDLVersion)(nil)).
		ColumnExpr("v.project_id AS project_id").ColumnExpr("COUNT(*) AS count").
		Where("v.project_id IN (?)", bun.In(projectIDs)).Group("v.project_id").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("count versions of %d projects: %w", len(projectIDs), err)
	}

	counts := make(map[string]int, len(rows))
	for _, r := range rows {
		counts[r.ProjectID] = r.Count
	}

	return counts, nil
}

// VersionPage is one page of a project's versions.
type VersionPage struct {
	Versions []models.IDLVersion
	HasNext  bool
}

type rankedVersion struct {
	models.IDLVersion `bun:",extend"`
	Rank              int `bun:"rank"`
}

// VersionsOfProjects returns one page of versions, newest first, for each
// of several projects, all with the same page arguments, in one statement.
// Page.After is a version number here.
func (s *Store) VersionsOfProjects(ctx context.Context, projectIDs []string, first, afterVersion int) (map[string]*VersionPage, error) {
	projectIDs = validIDs(projectIDs)
	if len(projectIDs) == 0 {
		return map[string]*VersionPage{}, nil
	}

	inner := s.read.NewSelect().Model((*models.IDLVersion)(nil)).
		ExcludeColumn(versionBodyColumns...).
		ColumnExpr("ROW_NUMBER() OVER (PARTITION BY v.project_id ORDER BY v.version DESC) AS rank").
		Where("v.project_id IN (?)", bun.In(projectIDs))
	if afterVersion > 0 {
		inner = inner.Where("v.version < ?", afterVersion)
	}

	var rows []rankedVersion
	err := s.read.NewSelect().TableExpr("(?) AS v", inner).ColumnExpr("v.*").
		Where("v.rank <= ?", first+1).OrderExpr("v.project_id, v.rank").Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("list versions of %d projects: %w", len(projectIDs), err)
	}

	pages := make(map[string]*VersionPage, len(projectIDs))
	for _, row := range rows {
		pg := pages[row.ProjectID]
		if pg == nil {
			pg = &VersionPage{}
			pages[row.ProjectID] = pg
		}
		if row.Rank > first {
			pg.HasNext = true
			continue
		}
		pg.Versions = append(pg.Versions, row.IDLVersion)
	}

	return pages, nil
}

// PublishVersion adds the next version to a project. It reads the latest
// version and inserts the next one in one write transaction, and the UNIQUE
// (project_id, version) constraint backs that up. When the latest version
// has the same IDL hash and keep(latest) is true, it returns the latest
// version and adds nothing; created then is false.
func (s *Store) PublishVersion(ctx context.Context, v *models.IDLVersion, keep func(latest *models.IDLVersion) bool) (created bool, err error) {
	if !validID(v.ProjectID) {
		return false, apperr.New(apperr.NotFound, "project %s not found", v.ProjectID)
	}

	err = s.inTx(ctx, func(ctx context.Context, tx bun.Tx) error {
		if err := s.lockProject(ctx, tx, v.ProjectID); err != nil {
			return err
		}

		latest := new(models.IDLVersion)
		err := tx.NewSelect().Model(latest).Where("v.project_id = ?", v.ProjectID).
			Order("v.version DESC").Limit(1).Scan(ctx)
		if err != nil {
			return notFound(err, "project %s has no versions", v.ProjectID)
		}

		if latest.SHA256 == v.SHA256 && keep(latest) {
			*v = *latest
			return nil
		}

		now := time.Now().UTC()
		v.ID, v.Version, v.CreatedAt = newID(), latest.Version+1, now
		if _, err := tx.NewInsert().Model(v).Exec(ctx); err != nil {
			return err
		}

		_, err = tx.NewUpdate().Model((*models.Project)(nil)).Set("updated_at = ?", now).Where("id = ?", v.ProjectID).Exec(ctx)
		created = true
		return err
	})
	if _, ok := isUniqueViolation(err); ok {
		return false, apperr.New(apperr.Conflict, "another version of project %s was published at the same moment: publish again", v.ProjectID)
	}
	if err != nil {
		return false, fmt.Errorf("publish version of project %s: %w", v.ProjectID, err)
	}

	return created, nil
}

// RecentPublicVersions returns the newest versions of public projects,
// without the IDL and docs.
func (s *Store) RecentPublicVersions(ctx context.Context, first int) ([]models.IDLVersion, error) {
	// bun reads a limit of 0 as no limit at all.
	if first <= 0 {
		return nil, nil
	}

	var versions []models.IDLVersion
	err := s.read.NewSelect().Model(&versions).ExcludeColumn(versionBodyColumns...).
		Join("JOIN projects AS p ON p.id = v.project_id").Where("p.is_public = TRUE").
		Order("v.created_at DESC", "v.id DESC").Limit(int64(first)).Scan(ctx)
	if err != nil {
		return nil, fmt.Errorf("list recent versions: %w", err)
	}

	return versions, nil
}

// VersionByID returns one version without the IDL and docs.
func (s *Store) VersionByID(ctx context.Context, id string) (*models.IDLVersion, error) {
	if !validID(id) {
		return nil, apperr.New(apperr.NotFound, "IDL version %s not found", id)
	}

	v := new(models.IDLVersion)
	err := s.read.NewSelect().Model(v).ExcludeColumn(versionBodyColumns...).Where("v.id = ?", id).Scan(ctx)
	if err != nil {
		return nil, notFound(err, "IDL version %s not found", id)
	}

	return v, nil
}
