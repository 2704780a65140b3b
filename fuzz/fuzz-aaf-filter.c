/* fuzz-aaf-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for the byte filter that mends AAF files before libxml2
 * reads them (sesame-aaf-filter.c). The reader feeds it 64 KiB at a time,
 * so a fault can fall across any boundary: the input is filtered once
 * whole and once cut into pieces of varying sizes, and both runs must give
 * the same bytes, the same warnings in the same order, and stop at the
 * same place for the same reason. The line numbers it reports must stay
 * within the input.
 */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "sesame-aaf-filter-private.h"

typedef struct
{
  GString *warnings;
  guint    max_line;
} Run;

static void
on_warning (guint       line,
            const char *message,
            gpointer    user_data)
{
  Run *run = user_data;

  g_assert (message != NULL && g_utf8_validate (message, -1, NULL));
  if (line > run->max_line)
    g_error ("warning at line %u of an input of %u lines: %s", line, run->max_line, message);
  g_string_append_printf (run->warnings, "%u: %s\n", line, message);
}

static GByteArray *
filter (const guint8 *data,
        gsize         size,
        guint32       seed,
        GString      *warnings,
        guint         n_lines)
{
  Run run = { warnings, n_lines };
  SesameAafFilter *filter = _sesame_aaf_filter_new (on_warning, &run);
  GByteArray *out = g_byte_array_new ();
  gsize pos = 0;

  while (pos < size)
    {
      gsize piece = size - pos;

      if (seed != 0)
        {
          /* A small generator: pieces of 1 byte to 4 KiB. */
          seed = seed * 1103515245u + 12345u;
          piece = MIN (piece, 1 + ((seed >> 16) % ((seed & 1) ? 7 : 4096)));
        }
      _sesame_aaf_filter_feed (filter, data + pos, piece, out);
      pos += piece;
    }
  _sesame_aaf_filter_finish (filter, out);

  /* Where it stopped, and why, belongs with the warnings: it must not
   * depend on the cuts either. */
  {
    guint fault_line, root_end_line;
    const char *declared, *open, *encoding = _sesame_aaf_filter_get_encoding (filter);
    SesameAafFault fault = _sesame_aaf_filter_get_fault (filter, &fault_line, &root_end_line, &declared);

    open = _sesame_aaf_filter_open_element (filter);
    g_assert (fault_line <= n_lines && root_end_line <= n_lines);
    g_assert (_sesame_aaf_filter_get_line (filter) <= n_lines);
    g_string_append_printf (warnings, "fault %d at %u (%s), root %s at %u, %u lines, %s, open %s\nelements:",
                            fault, fault_line, declared,
                            _sesame_aaf_filter_root_closed (filter) ? "closed" : "open", root_end_line,
                            _sesame_aaf_filter_get_line (filter), encoding != NULL ? encoding : "-",
                            open != NULL ? open : "-");
  }

  /* The line of each start tag, in order, then nothing. */
  for (guint i = 0; i < 1000000; i++)
    {
      guint line = _sesame_aaf_filter_pop_element_line (filter);

      if (line == 0)
        break;
      g_assert (line <= n_lines);
      g_string_append_printf (warnings, " %u", line);
    }

  _sesame_aaf_filter_free (filter);
  return out;
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) whole_warnings = g_string_new (NULL);
  g_autoptr(GString) cut_warnings = g_string_new (NULL);
  g_autoptr(GByteArray) whole = NULL;
  g_autoptr(GByteArray) cut = NULL;
  guint n_lines = 1;
  guint32 seed = 1;

  for (gsize i = 0; i < size; i++)
    {
      n_lines += data[i] == '\n';
      seed = seed * 31 + data[i];
    }

  whole = filter (data, size, 0, whole_warnings, n_lines);
  cut = filter (data, size, seed | 1, cut_warnings, n_lines);

  if (whole->len != cut->len || (whole->len > 0 && memcmp (whole->data, cut->data, whole->len) != 0))
    g_error ("the filter's output depends on where its input is cut");
  if (strcmp (whole_warnings->str, cut_warnings->str) != 0)
    g_error ("the filter's warnings or where it stops depend on where its input is cut:\n%s---\n%s",
             whole_warnings->str, cut_warnings->str);
  return 0;
}
