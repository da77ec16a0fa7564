/* jup_str.c - string view helpers. */
#include "core/jup_str.h"

jup_sv jup_sv_trim(jup_sv s)
{
	while (s.len && (s.ptr[0] == ' ' || s.ptr[0] == '\t')) {
		s.ptr++;
		s.len--;
	}
	while (s.len && (s.ptr[s.len - 1] == ' ' || s.ptr[s.len - 1] == '\t'))
		s.len--;
	return s;
}

bool jup_sv_starts_with(jup_sv s, jup_sv prefix)
{
	return s.len >= prefix.len &&
	       (prefix.len == 0 || memcmp(s.ptr, prefix.ptr, prefix.len) == 0);
}

bool jup_sv_to_cstr(jup_sv s, char *dst, size_t cap)
{
	if (cap == 0)
		return false;
	size_t n = s.len < cap - 1 ? s.len : cap - 1;
	if (n)
		memcpy(dst, s.ptr, n);
	dst[n] = '\0';
	return n == s.len;
}
