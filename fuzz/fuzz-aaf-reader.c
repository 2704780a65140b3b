/* fuzz-aaf-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for the streaming AAF reader (sesame-aaf-reader.c, through
 * its filter and libxml2's push parser), without a store: faster than the
 * import target, so it reaches deeper into the XML. The input is one file;
 * every record it yields is read through every accessor, and every warning
 * and error must be valid UTF-8 naming a line within the file.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "sesame-aaf-reader-private.h"
#include "sesame-error.h"

typedef struct
{
  guint n_lines;
  guint n_records;
} Reading;

static gboolean
record_holds (const SesameAafRecord *record,
              const char            *name)
{
  guint n = sesame_aaf_record_get_n_attributes (record);

  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (sesame_aaf_record_get_attribute_name (record, i), name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
on_record (const SesameAafRecord *record,
           gpointer               user_data,
           GError               **error)
{
  Reading *reading = user_data;
  g_autoptr(SesameAafRecord) copy = sesame_aaf_record_new ();
  g_autoptr(GString) absent = g_string_new ("no-such-attribute");
  guint n = sesame_aaf_record_get_n_attributes (record);

  g_assert (sesame_aaf_record_get_line (record) <= reading->n_lines);
  g_assert (sesame_aaf_record_get_kind (record) < SESAME_AAF_N_KINDS);
  (void) sesame_aaf_record_get_operation (record);
  (void) sesame_aaf_record_get_category (record);
  (void) sesame_aaf_record_get_id (record);

  for (guint i = 0; i < n; i++)
    {
      const char *name = sesame_aaf_record_get_attribute_name (record, i);
      const char * const *values = sesame_aaf_record_get_attribute_values (record, i);
      const char * const *found = sesame_aaf_record_get_values (record, name);
      const char *first = sesame_aaf_record_get_value (record, name);

      g_assert (name != NULL && g_utf8_validate (name, -1, NULL));
      g_assert (values != NULL && found != NULL);
      for (guint v = 0; values[v] != NULL; v++)
        g_assert (g_utf8_validate (values[v], -1, NULL));
      /* The first attribute of a name is the one looked up. */
      if (first != NULL)
        g_assert (found[0] != NULL);
      g_assert (sesame_aaf_record_get_value_line (record, name) <= reading->n_lines);
    }
  /* A name the record does not hold is found nowhere. The input may hold
   * any name, this one included: lengthen it until it is absent. */
  while (record_holds (record, absent->str))
    g_string_append_c (absent, '_');
  g_assert (sesame_aaf_record_get_values (record, absent->str) == NULL);
  g_assert (sesame_aaf_record_get_value (record, absent->str) == NULL);

  sesame_aaf_record_copy_into (copy, record);
  g_assert_cmpuint (sesame_aaf_record_get_n_attributes (copy), ==, n);
  g_assert_cmpstr (sesame_aaf_record_get_id (copy), ==, sesame_aaf_record_get_id (record));
  for (guint i = 0; i < n; i++)
    {
      const char *name = sesame_aaf_record_get_attribute_name (record, i);
      g_assert_cmpstr (sesame_aaf_record_get_value (copy, name), ==, sesame_aaf_record_get_value (record, name));
    }

  reading->n_records++;
  return TRUE;
}

static void
on_warning (const char *file_name,
            guint       line,
            const char *message,
            gpointer    user_data)
{
  Reading *reading = user_data;

  g_assert (file_name != NULL && message != NULL);
  g_assert (g_utf8_validate (message, -1, NULL));
  if (line > reading->n_lines)
    g_error ("warning at line %u of a file of %u lines: %s", line, reading->n_lines, message);
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
  g_autofree char *path = g_build_filename (fuzz_scratch_dir (), "ENT_0741234A_Complet_20240901_Eleve_0000.xml", NULL);
  g_autoptr(GError) error = NULL;
  Reading reading = { 1, 0 };
  guint64 bytes_read = 0;

  for (gsize i = 0; i < size; i++)
    reading.n_lines += data[i] == '\n';

  fuzz_write_file (path, data, size);
  if (!sesame_aaf_read_file (path, on_record, on_warning, &reading, &bytes_read, NULL, &error))
    {
      g_assert (error != NULL && error->domain == SESAME_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      /* Every refusal names the file. */
      g_assert (strstr (error->message, "ENT_0741234A") != NULL);
    }
  else
    g_assert (error == NULL);
  g_assert_cmpuint (bytes_read, <=, size);
  g_remove (path);
  return 0;
}
