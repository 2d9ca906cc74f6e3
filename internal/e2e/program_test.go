package e2e

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/orquestra/orquestra/internal/corpus"
	"github.com/orquestra/orquestra/internal/idl"
	"github.com/orquestra/orquestra/internal/testserver"
)

const programQuery = `query Program($id: ID!) {
  project(id: $id) {
    docs
    latestVersion {
      warnings { path message }
      program {
        name format address
        instructions {
          name discriminator
          args { name type typeJson }
          accounts { name path writable signer optional address pda { seeds { kind value path } program { kind value } } }
        }
        accounts { name discriminator fields { name type } }
        types { name kind fields { name type } variants { name fields { name type } } generics { kind name } alias }
        errors { code name msg }
        events { name discriminator fields { name type } }
        constants { name type value }
        pdas { name seeds { kind name type value } }
      }
    }
  }
}`

type programView struct {
	Project struct {
		Docs          string
		LatestVersion struct {
			Warnings []struct{ Path, Message string }
			Program  struct {
				Name         string
				Format       string
				Instructions []struct {
					Name          string
					Discriminator []int
					Args          []struct{ Name, Type string }
					Accounts      []struct{ Path string }
				}
				Accounts  []struct{ Name string }
				Types     []struct{ Name, Kind string }
				Errors    []struct{ Code int }
				Events    []struct{ Name string }
				Constants []struct{ Name string }
				PDAs      []struct{ Name string } `json:"pdas"`
			}
		}
	}
}

func TestProgramViewMatchesParserForCorpus(t *testing.T) {
	s := testserver.Start(t)

	for i, f := range testIDLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			token := s.Token(t, "program-"+strings.TrimSuffix(f.Name, ".json")[:min(30, len(f.Name)-5)])
			want, err := idl.Parse(f.Data)
			require.NoError(t, err, "parse %s", f.Name)

			input := map[string]any{"name": f.Name, "programId": declaredProgramID(t, f.Data, f.Name)}
			var created uploaded
			send(t, s, token, uploadMutation, input, f.Data, i%2 == 0).Decode(t, &created)

			var got programView
			s.Query(t, "", programQuery, map[string]any{"id": created.UploadIdl.Project.ID}).Decode(t, &got)
			p := got.Project.LatestVersion.Program

			assert.Equal(t, want.Name, p.Name, "program name")
			assert.Equal(t, corpusFormats[corpus.Format(f.Name)], p.Format, "format")
			assert.Len(t, p.Instructions, len(want.Instructions), "instructions")
			assert.Len(t, p.Accounts, len(want.Accounts), "accounts")
			assert.Len(t, p.Types, len(want.Types), "types")
			assert.Len(t, p.Errors, len(want.Errors), "errors")
			assert.Len(t, p.Events, len(want.Events), "events")
			assert.Len(t, p.Constants, len(want.Constants), "constants")
			assert.Len(t, p.PDAs, len(want.PDAs), "named PDAs")
			assert.Len(t, got.Project.LatestVersion.Warnings, len(want.Warnings), "warnings")

			for _, ix := range p.Instructions {
				// Codama programs such as SPL Memo take raw data with no discriminator.
				if p.Format != "CODAMA" {
					assert.NotEmpty(t, ix.Discriminator, "instruction %s has a discriminator", ix.Name)
				}
				assert.Contains(t, got.Project.Docs, ix.Name, "generated docs mention instruction %s", ix.Name)
			}
		})
	}
}

func TestProgramLookupsAndRenderedTypes(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	data, err := corpus.EmbeddedFile("anchor-v030-raydium-clmm-amm-v3.json")
	require.NoError(t, err, "read raydium IDL")
	id := createProjectWithID(t, s, token, "raydium", declaredProgramID(t, data, "raydium"), data)

	var out struct {
		Project struct {
			LatestVersion struct {
				Program struct {
					Instruction *struct {
						Name     string
						Args     []struct{ Name, Type string }
						Accounts []struct {
							Path     string
							Writable bool
							Signer   bool
							Pda      *struct{ Seeds []struct{ Kind string } }
						}
					}
					Missing *struct{ Name string }
					Type    *struct {
						Name, Kind string
						Alias      *string
					}
				}
			}
		}
	}
	s.Query(t, "", `query($id: ID!) { project(id: $id) { latestVersion { program {
		instruction(name: "create_pool") { name args { name type } accounts { path writable signer pda { seeds { kind } } } }
		missing: instruction(name: "no_such_instruction") { name }
		type(name: "PoolState") { name kind alias }
	} } } }`, map[string]any{"id": id}).Decode(t, &out)

	program := out.Project.LatestVersion.Program
	require.NotNil(t, program.Instruction, "instruction(name:) finds create_pool")
	assert.Nil(t, program.Missing, "an unknown instruction is null")
	require.NotNil(t, program.Type, "type(name:) finds PoolState")
	assert.Equal(t, "STRUCT", program.Type.Kind, "PoolState is a struct")

	hasPDA, hasSigner := false, false
	for _, a := range program.Instruction.Accounts {
		hasPDA = hasPDA || (a.Pda != nil && len(a.Pda.Seeds) > 0)
		hasSigner = hasSigner || a.Signer
	}
	assert.True(t, hasPDA, "create_pool has PDA accounts")
	assert.True(t, hasSigner, "create_pool has a signer")
	for _, arg := range program.Instruction.Args {
		assert.NotEmpty(t, arg.Type, "argument %s has a rendered type", arg.Name)
	}
}

// createProjectWithID uploads idl as a new project with the given program id.
func createProjectWithID(t *testing.T, s *testserver.Server, token, name, program string, data []byte) string {
	t.Helper()

	var out uploaded
	s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
		"name": name, "programId": program, "idlJson": string(data),
	}}).Decode(t, &out)

	return out.UploadIdl.Project.ID
}

func TestIDLAddressMustMatchProgramID(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	data, err := corpus.EmbeddedFile("anchor-v030-lever.json")
	require.NoError(t, err, "read lever IDL")
	declared := declaredProgramID(t, data, "lever")
	other := programID("someone else")

	res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{"name": "lever", "programId": other, "idlJson": string(data)}})
	require.Equal(t, "BAD_USER_INPUT", res.Code(0), "upload with another program id: %s", res.Body)
	assert.Contains(t, res.Errors[0].Message, declared, "the message names the IDL's address")
	assert.Contains(t, res.Errors[0].Message, other, "the message names the program id")

	id := createProjectWithID(t, s, token, "basic", programID("basic"), smallIDL(t))
	res = s.Query(t, token, publishMutation, map[string]any{"input": map[string]any{"projectId": id, "idlJson": string(data)}})
	require.Equal(t, "BAD_USER_INPUT", res.Code(0), "publishing another program's IDL: %s", res.Body)
	assert.Contains(t, res.Errors[0].Message, "upload this IDL as a new project", "the fix fits a project whose program id cannot change")
	assert.NotContains(t, res.Errors[0].Message, "as the program id", "no advice to change the program id")
	assert.Equal(t, 1, rowCounts(t, s)["idl_versions"], "nothing stored")
}

func TestByteOrderMarkAndBadIDLRejectedWithPaths(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")

	cases := map[string]struct {
		idl  string
		path string
	}{
		"byte order mark":     {"\ufeff" + string(smallIDL(t)), ""},
		"instruction no name": {`{"address": "11111111111111111111111111111111", "metadata": {"name": "x", "version": "0.1.0", "spec": "0.1.0"}, "instructions": [{"discriminator": [1,2,3,4,5,6,7,8], "accounts": [], "args": []}]}`, "instructions[0].name"},
		"undefined type":      {`{"address": "11111111111111111111111111111111", "metadata": {"name": "x", "version": "0.1.0", "spec": "0.1.0"}, "instructions": [{"name": "go", "discriminator": [1,2,3,4,5,6,7,8], "accounts": [], "args": [{"name": "a", "type": {"defined": {"name": "Nope"}}}]}]}`, "instructions[0].args[0].type.defined.name"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			res := s.Query(t, token, uploadMutation, map[string]any{"input": map[string]any{
				"name": name, "programId": "11111111111111111111111111111111", "idlJson": tc.idl,
			}})
			require.Equal(t, "BAD_USER_INPUT", res.Code(0), "code of %s", res.Body)
			if tc.path == "" {
				return
			}

			problems, _ := res.Errors[0].Extensions["problems"].([]any)
			var paths []string
			for _, p := range problems {
				if m, ok := p.(map[string]any); ok {
					paths = append(paths, m["path"].(string))
				}
			}
			assert.Contains(t, paths, tc.path, "problems must name the path: %s", res.Body)
		})
	}
	assert.Zero(t, rowCounts(t, s)["projects"], "nothing stored")
}

func TestGeneratedDocsFollowKnownAddresses(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	id := createProject(t, s, token, "documented", smallIDL(t), true)

	docs := func() string {
		var out struct{ Project struct{ Docs string } }
		s.Query(t, "", `query($id: ID!) { project(id: $id) { docs } }`, map[string]any{"id": id}).Decode(t, &out)
		return out.Project.Docs
	}

	before := docs()
	require.NotEmpty(t, before, "docs are generated when no Markdown was uploaded")
	assert.Contains(t, before, "initialize", "docs mention the instructions")

	s.Query(t, token, `mutation($id: ID!) { addKnownAddress(projectId: $id, input: {label: "Fee Vault", address: "SysvarRent111111111111111111111111111111111"}) { id } }`,
		map[string]any{"id": id}).Decode(t, &struct{}{})
	after := docs()
	assert.Contains(t, after, "Fee Vault", "generated docs list the known address added later")
	assert.Contains(t, after, "SysvarRent111111111111111111111111111111111", "generated docs show the address")
}

func TestProgramListsNamedPDAs(t *testing.T) {
	s := testserver.Start(t)
	token := s.Token(t, "owner")
	data, err := corpus.EmbeddedFile("codama-world-cup.json")
	require.NoError(t, err, "read the world cup IDL")
	id := createProjectWithID(t, s, token, "world cup", declaredProgramID(t, data, "world cup"), data)

	type seed struct{ Kind, Name, Type, Value string }
	var out struct {
		Project struct {
			LatestVersion struct {
				Program struct {
					PDAs []struct {
						Name  string
						Seeds []seed
					} `json:"pdas"`
				}
			}
		}
	}
	s.Query(t, "", `query($id: ID!) { project(id: $id) { latestVersion { program {
		pdas { name seeds { kind name type value } }
	} } } }`, map[string]any{"id": id}).Decode(t, &out)

	byName := map[string][]seed{}
	for _, pda := range out.Project.LatestVersion.Program.PDAs {
		byName[pda.Name] = pda.Seeds
	}
	require.Contains(t, byName, "bracket", "the bracket PDA is listed")
	bracket := byName["bracket"]
	require.Len(t, bracket, 2, "bracket seeds")
	assert.Equal(t, "const", bracket[0].Kind, "first seed kind")
	assert.Equal(t, "bracket", bracket[0].Value, "first seed value")
	assert.Equal(t, "variable", bracket[1].Kind, "second seed kind")
	assert.Equal(t, "owner", bracket[1].Name, "second seed name")
	assert.Equal(t, "pubkey", bracket[1].Type, "second seed type")
}
