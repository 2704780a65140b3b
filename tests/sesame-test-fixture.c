/* sesame-test-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The small school of sesame-test-fixture.h, written straight into a new
 * store, and the set-up and tear-down every test of a store shares: one
 * copy, so that a test that leaks the store fails the same way everywhere.
 */
#include "config.h"

#include "sesame-accounts-private.h"
#include "sesame-document-language.h"
#include "sesame-search-index-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"

static const char fixture_sql[] =
  "INSERT INTO establishments (jointure, uai, name, street, postal_code, city, academy, first_seen_at) VALUES"
  " ('52006', '0740017S', 'Collège Les Aravis', '12 route des Aravis', '74220', 'La Clusaz', 'GRENOBLE', 0),"
  " ('52007', '0740018T', 'Lycée Berthollet', '9 boulevard du Lycée', '74000', 'Annecy', 'GRENOBLE', 0);"
  "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure, email, address, postal_code, city, country, is_head, first_seen_at) VALUES"
  " ('P1', 'Eleve', 1, 'Mlle', 'Dupont', 'Éloïse', '52006', '', '', '', '', '', 0, 0),"
  " ('P2', 'Eleve', 1, 'M.', 'Dupont', 'Jean', '52006', '', '', '', '', '', 0, 0),"
  " ('P3', 'Eleve', 1, 'Mlle', 'Martin', 'Zoé', '52006', '', '', '', '', '', 0, 0),"
  " ('P4', 'Eleve', 1, 'Mlle', 'D''Almeida', 'Anne-Sophie', '52006', '', '', '', '', '', 0, 0),"
  " ('P5', 'PersRelEleve', 2, 'Mme', 'Dupont', 'Marie', '', 'marie.dupont@example.org', '3 rue des Écoles', '74220', 'La Clusaz', 'FRANCE', 0, 0),"
  " ('P6', 'PersRelEleve', 2, 'M.', 'Dupont', 'Paul', '', '', '3 rue des Écoles', '74220', 'La Clusaz', 'FRANCE', 0, 0),"
  " ('P7', 'PersRelEleve', 2, 'Mme', 'Martin', 'Claire', '', '', 'Chalet Les Sapins\nLieu-dit Le Crêt', '74220', 'La Clusaz', 'FRANCE', 0, 0),"
  " ('S1', 'PersEducNat', 4, 'Mme', 'Roche', 'Hélène', '52006', 'helene.roche@example.org', '', '', '', '', 1, 0),"
  " ('S2', 'PersEducNat', 3, 'M.', 'Bernard', 'Luc', '52006', '', '', '', '', '', 0, 0),"
  " ('S3', 'PersEducNat', 4, 'Mme', 'Garnier', 'Sophie', '52006', '', '', '', '', '', 0, 0),"
  " ('S4', 'PersEducNat', 4, 'M.', 'Faure', 'Marc', '52006', '', '', '', '', '', 0, 0),"
  " ('P8', 'Eleve', 1, 'M.', 'Dupont', 'Jean', '52007', '', '', '', '', '', 0, 0),"
  " ('P9', 'PersRelEleve', 2, 'Mme', 'Dupont', 'Nathalie', '', 'nathalie.dupont@example.net', '1 place du Lac', '74000', 'Annecy', 'FRANCE', 0, 0);"
  "INSERT INTO memberships (person_key, structure, kind, code) VALUES"
  " ('P1', '52006', 'class', '6A'), ('P2', '52006', 'class', '6A'), ('P3', '52006', 'class', '5 B'),"
  " ('P4', '52006', 'class', '5 B'), ('P1', '52006', 'group', 'LATIN'), ('P8', '52007', 'class', '2NDE1');"
  "INSERT INTO guardians (pupil_key, parent_key, relationship, legal) VALUES"
  " ('P1', 'P5', 10, 1), ('P1', 'P6', 20, 1), ('P2', 'P5', 10, 1), ('P2', 'P6', 20, 1),"
  " ('P3', 'P7', 10, 1), ('P8', 'P9', 10, 1);"
  "INSERT INTO functions (person_key, structure, code, label, discipline, discipline_label) VALUES"
  " ('S1', '52006', 'DIR', 'DIRECTION', '', ''),"
  " ('S2', '52006', 'ENS', 'ENSEIGNEMENT', 'L1300', 'MATHEMATIQUES'),"
  " ('S3', '52006', 'EDU', 'EDUCATION', '', ''),"
  " ('S4', '52006', 'ADF', 'ADMINISTRATION', '', '');"
  "INSERT INTO teachings (person_key, structure, kind, code) VALUES"
  " ('S2', '52006', 'class', '6A'), ('S2', '52006', 'principal', '6A');"
  "INSERT INTO staff_subjects (person_key, structure, label) VALUES ('S2', '52006', 'MATHEMATIQUES');";

static const struct {
  const char    *key;
  SesameProfile  profile;
  const char    *first;
  const char    *last;
} people[] = {
  { "P1", SESAME_PROFILE_ELEVE, "Éloïse", "Dupont" },
  { "P2", SESAME_PROFILE_ELEVE, "Jean", "Dupont" },
  { "P3", SESAME_PROFILE_ELEVE, "Zoé", "Martin" },
  { "P4", SESAME_PROFILE_ELEVE, "Anne-Sophie", "D'Almeida" },
  { "P5", SESAME_PROFILE_PARENT, "Marie", "Dupont" },
  { "P6", SESAME_PROFILE_PARENT, "Paul", "Dupont" },
  { "P7", SESAME_PROFILE_PARENT, "Claire", "Martin" },
  { "S1", SESAME_PROFILE_NON_ENSEIGNANT, "Hélène", "Roche" },
  { "S2", SESAME_PROFILE_ENSEIGNANT, "Luc", "Bernard" },
  { "S3", SESAME_PROFILE_NON_ENSEIGNANT, "Sophie", "Garnier" },
  { "S4", SESAME_PROFILE_NON_ENSEIGNANT, "Marc", "Faure" },
  { "P8", SESAME_PROFILE_ELEVE, "Jean", "Dupont" },
  { "P9", SESAME_PROFILE_PARENT, "Nathalie", "Dupont" },
};

SesameStore *
sesame_test_fixture_store (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SesameStore) store = NULL;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);

  g_assert_true (_sesame_store_begin (store, &error));
  g_assert_true (_sesame_store_exec (store, fixture_sql, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_assert_true (_sesame_accounts_create (store, NULL, people[i].key, people[i].profile,
                                              people[i].first, people[i].last,
                                              NULL, &error));
      g_assert_no_error (error);
      g_assert_true (_sesame_search_index_person (store, people[i].key, &error));
    }
  g_assert_true (_sesame_store_commit (store, &error));
  g_assert_no_error (error);

  /* Documents in the language of the source strings, which the tests of
   * letters, files and email read; test-document-language checks French. */
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_DOCUMENT_LANGUAGE, "en", &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

/**
 * sesame_test_fixture_set_up:
 * @fixture: the test's fixture
 * @data: unused
 *
 * Makes a folder for the test and the small school's store in it, and
 * keeps the store's path.
 */
void
sesame_test_fixture_set_up (SesameTestFixture *fixture,
                            gconstpointer      data)
{
  fixture->dir = sesame_test_make_tmpdir ();
  fixture->store = sesame_test_fixture_store (fixture->dir);
  fixture->store_path = g_strdup (sesame_store_get_path (fixture->store));
}

/**
 * sesame_test_fixture_set_up_closed:
 * @fixture: the test's fixture
 * @data: unused
 *
 * sesame_test_fixture_set_up(), the store closed at once: for the tests
 * that leave the store to sesamectl, through @fixture's store_path.
 */
void
sesame_test_fixture_set_up_closed (SesameTestFixture *fixture,
                                   gconstpointer      data)
{
  sesame_test_fixture_set_up (fixture, data);
  sesame_test_fixture_close (fixture);
}

/**
 * sesame_test_fixture_close:
 * @fixture: the test's fixture
 *
 * Closes the store, which nothing else may hold any more (the test fails
 * otherwise), leaving its file for a process of its own.
 */
void
sesame_test_fixture_close (SesameTestFixture *fixture)
{
  if (fixture->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->store));
}

/**
 * sesame_test_fixture_tear_down:
 * @fixture: the test's fixture
 * @data: unused
 *
 * Closes the store as sesame_test_fixture_close() does and removes the
 * test's folder.
 */
void
sesame_test_fixture_tear_down (SesameTestFixture *fixture,
                               gconstpointer      data)
{
  sesame_test_fixture_close (fixture);
  if (fixture->dir != NULL)
    sesame_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->dir, g_free);
  g_clear_pointer (&fixture->store_path, g_free);
}
