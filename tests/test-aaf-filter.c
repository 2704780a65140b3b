/* test-aaf-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The byte filter that mends AAF files (sesame-aaf-filter.c) is fed the
 * file in whatever blocks the reader gets from the disk: 64 KiB, less at
 * the end of a pipe or a network share. What it passes on, what it warns
 * of and where it stops must be the same wherever the blocks are cut, or
 * the same file would import differently from one desk to the next. Each
 * file here (the inputs that once broke this, the test fixtures, the fuzz
 * seeds and the real samples) is filtered whole and then cut at every
 * position, and the two must agree byte for byte.
 */
#include "config.h"

#include <string.h>

#include "sesame-aaf-filter-private.h"
#include "sesame-test-util.h"

/* Cuts this far apart are read independently: further than the filter
 * ever looks ahead (a whole tag of up to 512 bytes) or holds back (a
 * reference, a UTF-8 sequence). Shifting them by every offset below it
 * cuts the file at every position. */
#define CUT_STRIDE 521
/* A file this small is cut once at each position in turn. */
#define SMALL_FILE 8192
/* AddressSanitizer makes each reading some forty times slower: there one
 * offset in OFFSET_STEP is tried, with pieces of 1 to 8 bytes still
 * cutting everywhere; the ordinary build tries them all. */
#ifdef SESAME_TEST_ASAN
# define OFFSET_STEP 37
#else
# define OFFSET_STEP 1
#endif

/* Everything the filter tells of a file. */
typedef struct
{
  GByteArray *output;
  GString    *report;
} Result;

static void
result_free (Result *result)
{
  g_byte_array_unref (result->output);
  g_string_free (result->report, TRUE);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Result, result_free)

static void
on_warning (guint       line,
            const char *message,
            gpointer    user_data)
{
  GString *report = user_data;

  g_string_append_printf (report, "warning %u: %s\n", line, message);
}

/* Filters data fed in the blocks that cuts[] (increasing offsets) mark. */
static Result *
filter_cut (const guint8 *data,
            gsize         len,
            const gsize  *cuts,
            guint         n_cuts)
{
  Result *result = g_new0 (Result, 1);
  SesameAafFilter *filter;
  const char *encoding, *open;
  guint fault_line, root_end_line, line;
  SesameAafFault fault;
  gsize pos = 0;

  result->output = g_byte_array_new ();
  result->report = g_string_new (NULL);
  filter = _sesame_aaf_filter_new (on_warning, result->report);
  for (guint i = 0; i <= n_cuts; i++)
    {
      gsize end = i < n_cuts ? MIN (cuts[i], len) : len;

      g_assert_cmpuint (end, >=, pos);
      _sesame_aaf_filter_feed (filter, data + pos, end - pos, result->output);
      pos = end;
    }
  _sesame_aaf_filter_finish (filter, result->output);

  fault = _sesame_aaf_filter_get_fault (filter, &fault_line, &root_end_line, &encoding);
  g_string_append_printf (result->report, "fault %d at line %u, root closed at line %u, declared “%s”\n",
                          fault, fault_line, root_end_line, encoding);
  g_string_append_printf (result->report, "read as %s, %u lines, root %s\n",
                          _sesame_aaf_filter_get_encoding (filter),
                          _sesame_aaf_filter_get_line (filter),
                          _sesame_aaf_filter_root_closed (filter) ? "closed" : "open");
  open = _sesame_aaf_filter_open_element (filter);
  g_string_append_printf (result->report, "open element %s\nelements at lines", open ? open : "(none)");
  while ((line = _sesame_aaf_filter_pop_element_line (filter)) != 0)
    g_string_append_printf (result->report, " %u", line);
  g_string_append_c (result->report, '\n');
  _sesame_aaf_filter_free (filter);
  return result;
}

/* Fails naming the file, the cuts and the first difference. */
static void
assert_same (const char   *name,
             const Result *whole,
             const Result *cut,
             const char   *how)
{
  const GByteArray *a = whole->output, *b = cut->output;

  if (a->len != b->len || memcmp (a->data, b->data, a->len) != 0)
    {
      gsize at = 0;

      while (at < a->len && at < b->len && a->data[at] == b->data[at])
        at++;
      g_error ("%s cut %s: the output differs from byte %" G_GSIZE_FORMAT
               " (%u bytes whole, %u cut):\nwhole: …%.*s\ncut:   …%.*s",
               name, how, at, a->len, b->len,
               (int) MIN (60, a->len - at), (const char *) a->data + at,
               (int) MIN (60, b->len - at), (const char *) b->data + at);
    }
  if (strcmp (whole->report->str, cut->report->str) != 0)
    g_error ("%s cut %s: the warnings differ:\nwhole:\n%s\ncut:\n%s",
             name, how, whole->report->str, cut->report->str);
}

/* Filters a file whole, then cut at every position: in pieces of 1 to 8
 * bytes, then at every position once, CUT_STRIDE bytes apart from the next
 * cut (or alone, for a file of up to SMALL_FILE bytes). */
static void
check_every_cut (const char   *name,
                 const guint8 *data,
                 gsize         len)
{
  g_autoptr(Result) whole = filter_cut (data, len, NULL, 0);
  g_autoptr(GArray) cuts = g_array_new (FALSE, FALSE, sizeof (gsize));
  gboolean small = len <= SMALL_FILE;

  for (gsize piece = 1; piece <= 8; piece++)
    {
      g_autoptr(Result) cut = NULL;
      g_autofree char *how = g_strdup_printf ("in pieces of %" G_GSIZE_FORMAT " bytes", piece);

      g_array_set_size (cuts, 0);
      for (gsize at = piece; at < len; at += piece)
        g_array_append_val (cuts, at);
      cut = filter_cut (data, len, (const gsize *) (gpointer) cuts->data, cuts->len);
      assert_same (name, whole, cut, how);
    }

  for (gsize offset = 1; offset < (small ? len : CUT_STRIDE); offset += OFFSET_STEP)
    {
      g_autoptr(Result) cut = NULL;
      g_autofree char *how = NULL;

      g_array_set_size (cuts, 0);
      for (gsize at = offset; at < len; at += small ? len : CUT_STRIDE)
        g_array_append_val (cuts, at);
      cut = filter_cut (data, len, (const gsize *) (gpointer) cuts->data, cuts->len);
      how = small ? g_strdup_printf ("at byte %" G_GSIZE_FORMAT, offset)
                  : g_strdup_printf ("every %d bytes from byte %" G_GSIZE_FORMAT, CUT_STRIDE, offset);
      assert_same (name, whole, cut, how);
    }
}

static void
check_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = g_path_get_basename (path);
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", name, len);
  check_every_cut (name, (const guint8 *) contents, len);
}

/* Every regular file under dir, to any depth, whose name ends in suffix
 * (or any name when suffix is NULL). Returns how many were checked. */
static guint
check_folder (const char *dir,
              const char *suffix)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) folder = g_dir_open (dir, 0, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  guint checked = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (folder)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, names->pdata[i], NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        checked += check_folder (path, suffix);
      else if (suffix == NULL || g_str_has_suffix (path, suffix))
        {
          check_file (path);
          checked++;
        }
    }
  return checked;
}

static char *
fuzz_path (const char *first,
           ...)
{
  g_autofree char *fuzz = g_test_build_filename (G_TEST_DIST, "..", "fuzz", NULL);
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();
  va_list args;

  g_ptr_array_add (parts, fuzz);
  va_start (args, first);
  for (const char *part = first; part != NULL; part = va_arg (args, const char *))
    g_ptr_array_add (parts, (gpointer) part);
  va_end (args);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

/* A start tag whose quote never closes: the filter stops when the tag grows
 * past SESAME_AAF_MAX_TAG_BYTES, and passes on exactly the bytes up to that
 * point, whether they came in one block or in many. */
static void
test_long_tag_cut (void)
{
  g_autoptr(GString) input = g_string_new ("<r>\n<a name=\"x>");
  g_autoptr(Result) whole = NULL;
  gsize tag_start = strlen ("<r>\n");

  while (input->len < tag_start + SESAME_AAF_MAX_TAG_BYTES + 3000)
    g_string_append (input, "<value>Dupont</value></attr>");
  g_string_append (input, "\"></a></r>\n");

  whole = filter_cut ((const guint8 *) input->str, input->len, NULL, 0);
  g_assert_nonnull (strstr (whole->report->str, "fault 3 at line 2"));
  /* The root's tag, then the long tag up to the byte that made it too long. */
  g_assert_cmpuint (whole->output->len, ==, tag_start + SESAME_AAF_MAX_TAG_BYTES + 1);
  g_assert_cmpmem (whole->output->data, whole->output->len, input->str, whole->output->len);

  for (gsize at = tag_start + SESAME_AAF_MAX_TAG_BYTES - 600; at < tag_start + SESAME_AAF_MAX_TAG_BYTES + 600; at++)
    {
      g_autoptr(Result) cut = filter_cut ((const guint8 *) input->str, input->len, &at, 1);
      g_autofree char *how = g_strdup_printf ("at byte %" G_GSIZE_FORMAT, at);

      assert_same ("long tag", whole, cut, how);
    }
}

/* UTF-16 with a lone surrogate on line 4 and a control character on line
 * 2: the warnings come in the order of the file, whether the head and the
 * rest are transcoded in one block or in many. */
static void
test_utf16_warnings_cut (void)
{
  g_autoptr(GString) text = g_string_new ("<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<r>\x01\n");
  g_autoptr(GByteArray) input = g_byte_array_new ();
  g_autoptr(Result) whole = NULL;
  const char *control, *surrogate;

  for (guint i = 0; i < 200; i++)
    g_string_append (text, "<a/>");
  g_string_append (text, "\n<b>#</b></r>\n");
  g_byte_array_append (input, (const guint8 *) "\xFF\xFE", 2);
  for (const char *c = text->str; *c != '\0'; c++)
    {
      /* The # is a low surrogate with no high one before it. */
      guint8 unit[2] = { *c == '#' ? 0x00 : (guint8) *c, *c == '#' ? 0xDC : 0x00 };

      g_byte_array_append (input, unit, 2);
    }
  g_assert_cmpuint (input->len, >, 1024 + 100);

  whole = filter_cut (input->data, input->len, NULL, 0);
  control = strstr (whole->report->str, "warning 2: a control character");
  surrogate = strstr (whole->report->str, "warning 4: the code unit 0xDC00");
  g_assert_nonnull (control);
  g_assert_nonnull (surrogate);
  g_assert_true (control < surrogate);
  g_assert_nonnull (g_strstr_len ((const char *) whole->output->data, whole->output->len, "<b>\xEF\xBF\xBD</b>"));

  check_every_cut ("UTF-16", input->data, input->len);
}

/* The inputs the fuzz target found: before, the output of the first and
 * the order of the warnings of the second changed with the cut. */
static void
test_known_inputs (gconstpointer data)
{
  g_autofree char *path = fuzz_path ("known", (const char *) data, NULL);

  check_file (path);
}

static void
test_fixtures (void)
{
  g_autofree char *fixtures = sesame_test_data_path ("aaf");
  g_autofree char *corpus = fuzz_path ("corpus", "aaf", NULL);
  g_autofree char *reproducers = fuzz_path ("reproducers", "aaf-filter", NULL);

  g_assert_cmpuint (check_folder (fixtures, ".xml"), >, 0);
  g_assert_cmpuint (check_folder (corpus, NULL), >, 0);
  g_assert_cmpuint (check_folder (reproducers, NULL), >, 0);
}

static void
test_samples (void)
{
  const char *dir = g_getenv ("SESAME_SAMPLES_DIR");

  if (dir == NULL || !g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("The folder of real AAF samples is not here");
      return;
    }
  g_assert_cmpuint (check_folder (dir, ".xml"), >, 0);
}

int
main (int    argc,
      char **argv)
{
  sesame_test_init (&argc, &argv);

  g_test_add_func ("/sesame/aaf-filter/cuts/long-tag", test_long_tag_cut);
  g_test_add_func ("/sesame/aaf-filter/cuts/utf16-warnings", test_utf16_warnings_cut);
  g_test_add_data_func ("/sesame/aaf-filter/cuts/known-dependence",
                        "aaf-filter-cut-dependence.xml", test_known_inputs);
  g_test_add_data_func ("/sesame/aaf-filter/cuts/known-warnings",
                        "aaf-filter-cut-warnings.xml", test_known_inputs);
  g_test_add_func ("/sesame/aaf-filter/cuts/fixtures", test_fixtures);
  g_test_add_func ("/sesame/aaf-filter/cuts/samples", test_samples);

  return g_test_run ();
}
