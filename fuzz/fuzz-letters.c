/* fuzz-letters.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for the text that reaches Pango and the QR code on slips and
 * letters: the settings an administrator types (the letter's paragraph with
 * its {establishment} and {ent} fields, the ENT's name and address) and the
 * directory's values printed on them (names, title, address, class,
 * establishment). The input holds those fields separated by NUL bytes, in
 * the order of the `fields` table; settings go through the store's API as
 * the Preferences and `sesamectl settings set` would, directory values
 * straight into the persons a pupil's slip and a parent's letter show
 * (made valid UTF-8 first, as libxml2 hands them to the import).
 *
 * The store is made once (the test fixture's school) and every input sets
 * every field, so that an input renders the same whatever ran before.
 */
#include "config.h"

#include <cairo.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"

typedef enum
{
  FIELD_LETTER_TEXT,
  FIELD_ENT_NAME,
  FIELD_ENT_URL,
  FIELD_TITLE,
  FIELD_FIRST_NAME,
  FIELD_LAST_NAME,
  FIELD_ADDRESS,
  FIELD_POSTAL_CODE,
  FIELD_CITY,
  FIELD_COUNTRY,
  FIELD_PUPIL_FIRST_NAME,
  FIELD_PUPIL_LAST_NAME,
  FIELD_CLASS,
  FIELD_ESTABLISHMENT,
  FIELD_ESTABLISHMENT_STREET,
  FIELD_ESTABLISHMENT_CITY,
  N_FIELDS
} Field;

static SesameStore *store;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = NULL;

  fuzz_init ();
  dir = g_build_filename (fuzz_scratch_dir (), "letters", NULL);
  g_mkdir (dir, 0700);
  store = sesame_test_fixture_store (dir);
  sesame_store_set_now (store, 1725170400);
  return 0;
}

static void
update (const char *sql,
        const char *key,
        const char *value)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = _sesame_store_prepare (store, sql, &error);

  if (stmt == NULL)
    g_error ("%s", error->message);
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, key, -1, SQLITE_STATIC);
  if (!_sesame_store_step_done (store, stmt, &error))
    g_error ("%s", error->message);
}

static void
set_setting (const char *key,
             const char *fallback,
             GPtrArray  *fields,
             guint       index)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *value = NULL;
  gsize len = 0;
  const char *bytes;

  /* A missing or empty field gives a value an administrator would set;
   * anything else goes through the checks an administrator meets. When
   * those refuse it, the previous value must not stay: the default does. */
  if (index >= fields->len || g_bytes_get_size (g_ptr_array_index (fields, index)) == 0)
    {
      if (!sesame_store_settings_set (store, key, fallback, &error))
        g_error ("%s", error->message);
      return;
    }
  bytes = g_bytes_get_data (g_ptr_array_index (fields, index), &len);
  value = g_strndup (bytes, len);
  if (!sesame_store_settings_set (store, key, value, &error))
    {
      g_assert (error != NULL && error->domain == SESAME_ERROR && error->code == SESAME_ERROR_INVALID);
      g_clear_error (&error);
      if (!sesame_store_settings_set (store, key, fallback, &error))
        g_error ("%s", error->message);
    }
}

static void
render (const char * const *keys,
        SesameLetterKind    kind)
{
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  guint n_pages;

  query->kind = kind;
  query->keys = g_strdupv ((char **) keys);
  batch = sesame_letter_batch_new (store, query, NULL, &error);
  /* A name or address of the ENT that is only blanks is refused as unset:
   * nothing is printed with placeholders. */
  if (batch == NULL && g_error_matches (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET))
    return;
  if (batch == NULL)
    g_error ("the fixture's accounts give no letters: %s", error->message);
  n_pages = sesame_letter_batch_get_n_pages (batch);
  g_assert_cmpuint (n_pages, >=, 1);

  surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cr = cairo_create (surface);
  for (guint page = 0; page < n_pages; page++)
    sesame_letter_batch_draw_page (batch, cr, page, SESAME_LETTERS_PAGE_WIDTH, SESAME_LETTERS_PAGE_HEIGHT);
  g_assert (cairo_status (cr) == CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) fields = fuzz_split (data, size, "", 1, N_FIELDS);
  static const char * const pupil_and_parent[] = { "P1", "P5", NULL };
  static const char * const parent_with_two[] = { "P5", "P3", NULL };
  char *values[N_FIELDS];
  static const char * const defaults[N_FIELDS] = {
    NULL, NULL, NULL, "Mme", "Marie", "Dupont", "3 rue des Écoles", "74220", "La Clusaz", "FRANCE",
    "Éloïse", "Dupont", "6A", "Collège Les Aravis", "12 route des Aravis", "La Clusaz",
  };

  set_setting (SESAME_SETTING_LETTER_TEXT, "", fields, FIELD_LETTER_TEXT);
  set_setting (SESAME_SETTING_ENT_NAME, "Kosmos Éducation", fields, FIELD_ENT_NAME);
  set_setting (SESAME_SETTING_ENT_URL, "https://ent.example.org", fields, FIELD_ENT_URL);

  for (guint i = FIELD_TITLE; i < N_FIELDS; i++)
    values[i] = fuzz_field_utf8 (fields, i, defaults[i]);

  update ("UPDATE persons SET title = ?1 WHERE key = ?2", "P5", values[FIELD_TITLE]);
  update ("UPDATE persons SET first_name = ?1 WHERE key = ?2", "P5", values[FIELD_FIRST_NAME]);
  update ("UPDATE persons SET last_name = ?1 WHERE key = ?2", "P5", values[FIELD_LAST_NAME]);
  update ("UPDATE persons SET address = ?1 WHERE key = ?2", "P5", values[FIELD_ADDRESS]);
  update ("UPDATE persons SET postal_code = ?1 WHERE key = ?2", "P5", values[FIELD_POSTAL_CODE]);
  update ("UPDATE persons SET city = ?1 WHERE key = ?2", "P5", values[FIELD_CITY]);
  update ("UPDATE persons SET country = ?1 WHERE key = ?2", "P5", values[FIELD_COUNTRY]);
  update ("UPDATE persons SET first_name = ?1 WHERE key = ?2", "P1", values[FIELD_PUPIL_FIRST_NAME]);
  update ("UPDATE persons SET last_name = ?1 WHERE key = ?2", "P1", values[FIELD_PUPIL_LAST_NAME]);
  update ("UPDATE memberships SET code = ?1 WHERE person_key = ?2 AND kind = 'class'", "P1", values[FIELD_CLASS]);
  update ("UPDATE establishments SET name = ?1 WHERE jointure = ?2", "52006", values[FIELD_ESTABLISHMENT]);
  update ("UPDATE establishments SET street = ?1 WHERE jointure = ?2", "52006", values[FIELD_ESTABLISHMENT_STREET]);
  update ("UPDATE establishments SET city = ?1 WHERE jointure = ?2", "52006", values[FIELD_ESTABLISHMENT_CITY]);

  render (pupil_and_parent, SESAME_LETTER_KIND_AUTO);
  render (parent_with_two, SESAME_LETTER_KIND_SLIPS);

  for (guint i = FIELD_TITLE; i < N_FIELDS; i++)
    g_free (values[i]);
  return 0;
}
