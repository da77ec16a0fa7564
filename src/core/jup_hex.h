/*
 * jup_hex.h - lower-case hexadecimal, as hashes are stored and shown.
 */
#ifndef JUP_HEX_H
#define JUP_HEX_H

#include "core/jup_str.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* jup_hex_encode: n bytes as 2n lower-case hex digits and a NUL in out
 * (2n + 1 bytes). */
void jup_hex_encode(const uint8_t *in, size_t n, char *out);

/* jup_hex_decode: exactly 2n lower-case hex digits into n bytes; false (out
 * unspecified) for any other length or character. */
bool jup_hex_decode(jup_sv s, uint8_t *out, size_t n);

#endif
