/* test-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sesame.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

typedef SesameTestFixture Fixture;

/* The keys found, in order, joined by spaces. */
static char *
search_keys (SesameStore             *store,
             const SesameSearchQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = sesame_search_run (store, query, NULL, &error);
  g_autoptr(GString) keys = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < g_list_model_get_n_items (results); i++)
    {
      g_autoptr(SesamePerson) person = g_list_model_get_item (results, i);

      if (keys->len > 0)
        g_string_append_c (keys, ' ');
      g_string_append (keys, sesame_person_get_key (person));
    }
  return g_string_free (g_steal_pointer (&keys), FALSE);
}

static char *
search_text (SesameStore *store,
             const char  *text)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();

  query->text = g_strdup (text);
  return search_keys (store, query);
}

static void
test_free_text (Fixture       *fixture,
                gconstpointer  data)
{
  static const struct { const char *text, *keys; } cases[] = {
    { "elo", "P1" },                 /* prefix, accent-insensitive */
    { "ÉLOÏSE", "P1" },
    { "dupont jean", "P2 P8" },      /* any order */
    { "jean dupont", "P2 P8" },
    { "zoe", "P3" },
    { "almeida", "P4" },
    { "anne-sophie", "P4" },
    { "dupont", "P1 P2 P8 P5 P9 P6" },
    { "jean.dupont2", "P8" },        /* a login */
    { "\"dup OR", "" },              /* FTS syntax stays inert */
    { "nobody", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *keys = search_text (fixture->store, cases[i].text);
      g_assert_cmpstr (keys, ==, cases[i].keys);
    }
}

static void
test_fields (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autofree char *keys = NULL;

  query->last_name = g_strdup ("dup");
  query->profile = SESAME_PROFILE_PARENT;
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P5 P9 P6");
  g_clear_pointer (&keys, g_free);

  query->establishment = g_strdup ("0740017s");
  keys = search_keys (fixture->store, query);
  /* Parents belong to their children's establishment. */
  g_assert_cmpstr (keys, ==, "P5 P6");
  g_clear_pointer (&keys, g_free);
  sesame_search_query_free (g_steal_pointer (&query));

  query = sesame_search_query_new ();
  query->class_name = g_strdup ("5 b");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P4 P7 P3");
  g_clear_pointer (&keys, g_free);
  sesame_search_query_free (g_steal_pointer (&query));

  /* Text typed with an establishment, and the establishment alone. */
  query = sesame_search_query_new ();
  query->text = g_strdup ("dupont");
  query->establishment = g_strdup ("0740018T");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P8 P9");
  g_clear_pointer (&keys, g_free);
  g_clear_pointer (&query->text, g_free);
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P8 P9");
  g_clear_pointer (&keys, g_free);
  sesame_search_query_free (g_steal_pointer (&query));

  /* A class of another establishment is another class. */
  query = sesame_search_query_new ();
  query->class_name = g_strdup ("6a");
  query->establishment = g_strdup ("0740017S");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "S2 P1 P2 P5 P6");
  g_clear_pointer (&keys, g_free);
  g_free (query->establishment);
  query->establishment = g_strdup ("0740018T");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "");
  g_clear_pointer (&keys, g_free);
  sesame_search_query_free (g_steal_pointer (&query));

  query = sesame_search_query_new ();
  query->subject = g_strdup ("mathe");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "S2");
  g_clear_pointer (&keys, g_free);
  sesame_search_query_free (g_steal_pointer (&query));

  query = sesame_search_query_new ();
  query->key = g_strdup ("AC-GRENOBLE$P3");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P3");
  g_clear_pointer (&keys, g_free);
  sesame_search_query_free (g_steal_pointer (&query));

  query = sesame_search_query_new ();
  query->login = g_strdup ("Jean.Dupont");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P2");
}

static void
test_state (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;
  g_autofree char *password = NULL;

  password = sesame_accounts_reset_password (fixture->store, "zoe.martin", &error);
  g_assert_cmpint (sesame_passwords_authenticate (fixture->store, "zoe.martin", password, &error), ==, SESAME_AUTH_MUST_CHANGE);

  query->state = SESAME_ACCOUNT_STATE_ACTIVE;
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P3");
  g_clear_pointer (&keys, g_free);

  query->state = SESAME_ACCOUNT_STATE_PENDING;
  query->profile = SESAME_PROFILE_ELEVE;
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P4 P1 P2 P8");
}

static void
test_result_fields (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GListModel) results = NULL;
  g_autoptr(SesamePerson) person = NULL;
  g_autoptr(GError) error = NULL;

  query->text = g_strdup ("eloise");
  results = sesame_search_run (fixture->store, query, NULL, &error);
  g_assert_no_error (error);
  person = g_list_model_get_item (results, 0);
  g_assert_cmpstr (sesame_person_get_login (person), ==, "eloise.dupont");
  g_assert_cmpstr (sesame_person_get_last_name (person), ==, "Dupont");
  g_assert_cmpstr (sesame_person_get_first_name (person), ==, "Éloïse");
  g_assert_cmpint (sesame_person_get_profile (person), ==, SESAME_PROFILE_ELEVE);
  g_assert_cmpint (sesame_person_get_state (person), ==, SESAME_ACCOUNT_STATE_PENDING);
  g_assert_cmpstr (sesame_person_get_establishment (person), ==, "0740017S");
  g_assert_cmpstr (sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME), ==, "Collège Les Aravis");
  g_assert_cmpstr (sesame_person_get_classes (person)[0], ==, "6A");
  g_assert_null (sesame_person_get_classes (person)[1]);
  g_clear_object (&person);
  g_clear_object (&results);

  /* A parent's establishment is their children's. */
  g_free (query->text);
  query->text = g_strdup ("claire martin");
  results = sesame_search_run (fixture->store, query, NULL, &error);
  person = g_list_model_get_item (results, 0);
  g_assert_cmpstr (sesame_person_get_establishment (person), ==, "0740017S");
  g_assert_cmpstr (sesame_person_get_classes (person)[0], ==, "5 B");
}

static void
test_scope (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) results = NULL;
  g_autofree char *keys = NULL;

  g_assert_true (sesame_roles_grant (fixture->store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "luc.bernard", &error));
  query->text = g_strdup ("dupont");
  keys = search_keys (fixture->store, query);
  /* Pupils of 6A and their parents; not the homonym of the lycée. */
  g_assert_cmpstr (keys, ==, "P1 P2 P5 P6");
  g_clear_pointer (&keys, g_free);

  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "marc.faure", &error));
  results = sesame_search_run (fixture->store, query, NULL, &error);
  g_assert_null (results);
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
}

static void
test_limit (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autofree char *keys = NULL;

  query->text = g_strdup ("dupont");
  query->limit = 2;
  keys = search_keys (fixture->store, query);
  /* Two of the six, whichever: the interface asks to refine the search. */
  g_assert_cmpuint (strlen (keys), ==, strlen ("P1 P2"));
  g_clear_pointer (&keys, g_free);

  /* A field-only search stops at the limit too. */
  g_clear_pointer (&query->text, g_free);
  query->profile = SESAME_PROFILE_ELEVE;
  query->limit = 3;
  keys = search_keys (fixture->store, query);
  g_assert_cmpuint (strlen (keys), ==, strlen ("P1 P2 P3"));
}

/* Criteria from a command line may be any bytes: text that is not UTF-8
 * is refused, never read past its end (a lead byte before the NUL). */
static void
test_invalid_text (Fixture       *fixture,
                   gconstpointer  data)
{
  static const char * const texts[] = { "Dupont \xc3", "\xf0", "H\xe9l\xe8ne", "6A\xff" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (guint field = 0; field < 4; field++)
      {
        g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
        g_autoptr(GListModel) results = NULL;
        g_autoptr(GError) error = NULL;
        char **criterion = field == 0 ? &query->text : field == 1 ? &query->last_name :
                           field == 2 ? &query->first_name : &query->class_name;

        *criterion = g_strdup (texts[i]);
        results = sesame_search_run (fixture->store, query, NULL, &error);
        g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
        g_assert_null (results);
        g_assert_true (g_utf8_validate (error->message, -1, NULL));
      }
}

/* Former logins stay searchable: those changed before the table of former
 * logins existed are read back from the audit trail when the store is
 * migrated, each followed to the login of today; sesamectl's --login is
 * still a whole login, the desk's a beginning. */
static void
test_former_logins (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "store.db", NULL);
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GListModel) results = NULL;
  g_autoptr(SesamePerson) zoe = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;

  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_true (sesame_accounts_set_login (fixture->store, "zoe.martin", "zoe.perrin", &error));
  g_assert_true (sesame_accounts_set_login (fixture->store, "zoe.perrin", "zoe.durand", &error));
  g_assert_no_error (error);

  /* A store from before: no table of former logins. */
  g_assert_true (_sesame_store_exec (fixture->store,
                                     "DROP TABLE former_logins;"
                                     /* and what schema 8 added: the sync's tables */
                                     "DROP TABLE sync_state; DROP TABLE sync_outbox; DROP TABLE sync_conflicts;"
                                     "DROP TABLE sync_feed; DROP TABLE sync_verdicts; DROP TABLE sync_feed_roles;"
                                     "ALTER TABLE audit DROP COLUMN desk; ALTER TABLE audit DROP COLUMN server_at;"
                                     "PRAGMA user_version = 6;",
                                     &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&fixture->store));
  fixture->store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->store, "helene.roche", &error));
  g_assert_no_error (error);

  keys = search_text (fixture->store, "zoe.martin");
  g_assert_cmpstr (keys, ==, "P3");
  g_clear_pointer (&keys, g_free);
  keys = search_text (fixture->store, "zoe.perr");
  g_assert_cmpstr (keys, ==, "P3");
  g_clear_pointer (&keys, g_free);

  query->text = g_strdup ("zoe.perrin");
  results = sesame_search_run (fixture->store, query, NULL, &error);
  g_assert_no_error (error);
  zoe = g_list_model_get_item (results, 0);
  g_assert_cmpstr (sesame_person_get_login (zoe), ==, "zoe.durand");
  g_assert_cmpstr (sesame_person_get_field (zoe, SESAME_PERSON_MATCH), ==, "former login: zoe.perrin");
  g_clear_pointer (&query->text, g_free);

  /* A whole login, former ones too; a beginning only at the desk. */
  query->login = g_strdup ("zoe.martin");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P3");
  g_clear_pointer (&keys, g_free);
  g_free (query->login);
  query->login = g_strdup ("zoe.dur");
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "");
  g_clear_pointer (&keys, g_free);
  query->login_prefix = TRUE;
  keys = search_keys (fixture->store, query);
  g_assert_cmpstr (keys, ==, "P3");
}

/* Whole surnames come first, even when a prefix matches more people than
 * the limit. */
static void
test_exact_first (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *keys = NULL;

  g_assert_true (_sesame_store_exec (fixture->store,
                                     "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50)"
                                     " INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure,"
                                     " first_seen_at) SELECT 'M' || i, 'Eleve', 1, 'Mlle', 'Aubert', 'Martine', '52006', 0"
                                     " FROM n;"
                                     "DELETE FROM persons_fts;"
                                     "INSERT INTO persons_fts (rowid, first_name, last_name, other_names)"
                                     " SELECT rowid, first_name, last_name, birth_name FROM persons;",
                                     &error));
  g_assert_no_error (error);
  query->text = g_strdup ("martin");
  query->limit = 10;
  keys = search_keys (fixture->store, query);
  g_assert_true (g_str_has_prefix (keys, "P7 P3 "));
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, sesame_test_fixture_set_up, func, sesame_test_fixture_tear_down)
  ADD ("/sesame/search/free-text", test_free_text);
  ADD ("/sesame/search/fields", test_fields);
  ADD ("/sesame/search/state", test_state);
  ADD ("/sesame/search/result-fields", test_result_fields);
  ADD ("/sesame/search/scope", test_scope);
  ADD ("/sesame/search/limit", test_limit);
  ADD ("/sesame/search/invalid-text", test_invalid_text);
  ADD ("/sesame/search/former-logins", test_former_logins);
  ADD ("/sesame/search/exact-first", test_exact_first);
#undef ADD

  return g_test_run ();
}
