package signin

import "testing"

func TestSafeAvatarKeepsHTTPSOnly(t *testing.T) {
	cases := map[string]string{
		"https://avatars.githubusercontent.com/u/1?v=4": "https://avatars.githubusercontent.com/u/1?v=4",
		"javascript:alert(1)":                           "",
		"data:image/png;base64,AAAA":                    "",
		"http://example.com/a.png":                      "",
		"":                                              "",
	}

	for raw, want := range cases {
		if got := safeAvatar(raw); got != want {
			t.Errorf("safeAvatar(%q) = %q, want %q", raw, got, want)
		}
	}
}
