/* fuzz-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Fuzz target for the search criteria typed at the desk or given to
 * `sesamectl search` (free text, which may look like a login, names, class,
 * subject, establishment, login, directory key; any bytes from a command
 * line), on the test fixture's school, as its administrator and as a main
 * teacher holding the identifier manager role for their classes. The input
 * holds the text criteria separated by NUL bytes, in the order of the
 * `Field` enumeration; its first byte also picks the profile, the state
 * and the limit. Every person found must be one the operator may see, with
 * valid UTF-8 fields; an error must be in Sésame's domain.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fuzz-common.h"
#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"

typedef enum
{
  FIELD_TEXT,
  FIELD_LAST_NAME,
  FIELD_FIRST_NAME,
  FIELD_CLASS,
  FIELD_SUBJECT,
  FIELD_ESTABLISHMENT,
  FIELD_LOGIN,
  FIELD_KEY,
  N_FIELDS
} Field;

static SesameStore *admin;
static SesameStore *teacher;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autofree char *dir = NULL;
  g_autoptr(GError) error = NULL;

  fuzz_init ();
  dir = g_build_filename (fuzz_scratch_dir (), "search", NULL);
  g_mkdir (dir, 0700);
  admin = sesame_test_fixture_store (dir);
  if (!sesame_roles_grant (admin, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error))
    g_error ("%s", error->message);
  teacher = sesame_store_dup (admin, &error);
  if (teacher == NULL || !_sesame_store_set_operator_trusted (teacher, "luc.bernard", &error))
    g_error ("%s", error->message);
  return 0;
}

static char *
raw_field (GPtrArray *fields,
           guint      index)
{
  gsize len;
  const char *bytes;

  if (index >= fields->len)
    return NULL;
  bytes = g_bytes_get_data (g_ptr_array_index (fields, index), &len);
  return g_strndup (bytes != NULL ? bytes : "", len);
}

static void
search (SesameStore             *store,
        const SesameSearchQuery *query)
{
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  results = sesame_search_run (store, query, NULL, &error);
  if (results == NULL)
    {
      g_assert (error != NULL && error->domain == SESAME_ERROR);
      g_assert (g_utf8_validate (error->message, -1, NULL));
      return;
    }
  g_assert (error == NULL);
  g_assert_cmpuint (g_list_model_get_n_items (results), <=, 14);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SesamePerson) person = g_list_model_get_item (results, i);
      g_autofree char *display_name = sesame_person_dup_display_name (person);
      g_autofree char *classes = sesame_person_dup_classes_label (person);

      g_assert (g_utf8_validate (display_name, -1, NULL));
      g_assert (g_utf8_validate (classes, -1, NULL));
      /* The main teacher of 6A sees its pupils, their guardians and
       * themselves, never the other class or the other establishment. */
      if (store == teacher)
        {
          const char *key = sesame_person_get_key (person);

          if (g_strv_contains ((const char * const[]) { "P3", "P4", "P7", "P8", "P9", NULL }, key))
            g_error ("the main teacher of 6A found %s, outside their classes", key);
        }
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GPtrArray) fields = fuzz_split (size > 0 ? data + 1 : data, size > 0 ? size - 1 : 0, "", 1, N_FIELDS);
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  guint8 options = size > 0 ? data[0] : 0;

  query->text = raw_field (fields, FIELD_TEXT);
  query->last_name = raw_field (fields, FIELD_LAST_NAME);
  query->first_name = raw_field (fields, FIELD_FIRST_NAME);
  query->class_name = raw_field (fields, FIELD_CLASS);
  query->subject = raw_field (fields, FIELD_SUBJECT);
  query->establishment = raw_field (fields, FIELD_ESTABLISHMENT);
  query->login = raw_field (fields, FIELD_LOGIN);
  query->key = raw_field (fields, FIELD_KEY);
  query->profile = (options & 7) % SESAME_N_PROFILES;
  query->state = ((options >> 3) & 3) - 1;
  query->limit = (options >> 5) == 7 ? 1 : 0;

  (void) sesame_search_query_is_empty (query);
  search (admin, query);
  search (teacher, query);
  return 0;
}
