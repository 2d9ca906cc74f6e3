package graph

import (
	"context"
	"strings"

	"github.com/orquestra/orquestra/graph/model"
	"github.com/orquestra/orquestra/internal/apperr"
	"github.com/orquestra/orquestra/internal/auth"
	"github.com/orquestra/orquestra/internal/input"
	"github.com/orquestra/orquestra/models"
)

func (r *Resolver) addKnownAddress(ctx context.Context, projectID string, in model.KnownAddressInput) (*models.KnownAddress, error) {
	project, err := r.authorizedProject(ctx, auth.ActionEditProject, projectID)
	if err != nil {
		return nil, err
	}

	row := &models.KnownAddress{ProjectID: project.ID}
	if err := fillKnownAddress(row, in); err != nil {
		return nil, err
	}

	if err := r.Store.AddKnownAddress(ctx, row); err != nil {
		return nil, err
	}

	return row, nil
}

func (r *Resolver) updateKnownAddress(ctx context.Context, id string, in model.KnownAddressInput) (*models.KnownAddress, error) {
	row, err := r.ownedKnownAddress(ctx, id)
	if err != nil {
		return nil, err
	}

	if err := fillKnownAddress(row, in); err != nil {
		return nil, err
	}

	if err := r.Store.UpdateKnownAddress(ctx, row); err != nil {
		return nil, err
	}

	return row, nil
}

func fillKnownAddress(row *models.KnownAddress, in model.KnownAddressInput) error {
	label, err := input.Label("input.label", in.Label)
	if err != nil {
		return err
	}

	address, err := input.Address("input.address", in.Address)
	if err != nil {
		return err
	}

	var description *string
	if in.Description != nil && strings.TrimSpace(*in.Description) != "" {
		text, err := input.Description("input.description", *in.Description)
		if err != nil {
			return err
		}
		description = &text
	}

	row.Label, row.Address, row.Description = label, address, description
	return nil
}

// ownedKnownAddress returns a known address of a project the caller owns.
// Addresses of projects the caller cannot see are NOT_FOUND.
func (r *Resolver) ownedKnownAddress(ctx context.Context, id string) (*models.KnownAddress, error) {
	if err := auth.AuthorizeCaller(ctx, auth.ActionEditProject); err != nil {
		return nil, err
	}

	row, err := r.Store.KnownAddressByID(ctx, id)
	if err != nil {
		return nil, err
	}

	if _, err := r.authorizedProject(ctx, auth.ActionEditProject, row.ProjectID); err != nil {
		if apperr.Is(err, apperr.NotFound) {
			return nil, apperr.New(apperr.NotFound, "known address %s not found", id)
		}
		return nil, err
	}

	return row, nil
}
