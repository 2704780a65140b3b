/* sesame-test-permissions.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The permission matrix shared by the core's test and the command line's:
 * one table says who may do what to whom, in establishment A and in B,
 * and both tests hold the core and sesamectl to it.
 */
#include "config.h"

#include <glib/gstdio.h>

#include "sesame.h"
#include "sesame-accounts-private.h"
#include "sesame-search-index-private.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-util.h"
#include "sesame-test-permissions.h"

/*                                 operators:   O X HA HB MA MC MD MR T P R U HN W */
#define PERSON_A    "yyynyynnnnnnnn"
#define PERSON_B    "yynynnnnnnnnnn"
#define ADMIN_A     "yyynnnnnnnnnnn"
#define ADMIN_B     "yynynnnnnnnnnn"
#define OPERATORS   "yyyyyynnnnnnnn"
#define WHOLE_STORE "yynnnnnnnnnnnn"

const PermRow perm_matrix[N_ACTIONS] = {
  { ACT_SEARCH,         "search",          PERSON_A,    PERSON_B },
  { ACT_SHOW,           "account show",    PERSON_A,    PERSON_B },
  { ACT_SET_LOGIN,      "set-login",       PERSON_A,    PERSON_B },
  { ACT_RESET_PASSWORD, "reset-password",  PERSON_A,    PERSON_B },
  { ACT_LETTERS,        "letters",         PERSON_A,    PERSON_B },
  { ACT_FILES_LIST,     "files list",      ADMIN_A,     ADMIN_B },
  { ACT_FILES_GENERATE, "files generate",  ADMIN_A,     ADMIN_B },
  { ACT_FILES_EXPORT,   "files export",    ADMIN_A,     ADMIN_B },
  { ACT_FILES_DELETE,   "files delete",    ADMIN_A,     ADMIN_B },
  { ACT_IMPORT,         "import",          ADMIN_A,     ADMIN_B },
  { ACT_DIFFUSION,      "diffusion",       ADMIN_A,     ADMIN_B },
  { ACT_ROLES_GRANT,    "roles grant",     ADMIN_A,     ADMIN_B },
  { ACT_ROLES_REVOKE,   "roles revoke",    ADMIN_A,     ADMIN_B },
  { ACT_ROLES_LIST,     "roles list",      OPERATORS,   OPERATORS },
  { ACT_SETTINGS_LIST,  "settings list",   OPERATORS,   OPERATORS },
  { ACT_SETTINGS_SET,   "settings set",    WHOLE_STORE, WHOLE_STORE },
  { ACT_SMTP_SHOW,      "smtp show",       OPERATORS,   OPERATORS },
  { ACT_SMTP_SET,       "smtp set",        WHOLE_STORE, WHOLE_STORE },
  { ACT_AUDIT,          "audit",           WHOLE_STORE, WHOLE_STORE },
  { ACT_AUDIT_MINE,     "audit --mine",    OPERATORS,   OPERATORS },
};

static const struct {
  const char *login;
  const char *name;
} operators[N_OPERATORS] = {
  [OP_OWNER]            = { NULL,             "store owner" },
  [OP_ADMIN_ALL]        = { "alice.noel",     "administrator of all" },
  [OP_HEAD_A]           = { "helene.roche",   "head of A" },
  [OP_HEAD_B]           = { "henri.vidal",    "head of B" },
  [OP_MANAGER_A]        = { "sophie.garnier", "manager of A" },
  [OP_CLASSES_MANAGER]  = { "luc.bernard",    "classes manager" },
  [OP_DEPARTED_MANAGER] = { "denis.leroy",    "departed manager" },
  [OP_REVOKED_MANAGER]  = { "remi.petit",     "revoked manager" },
  [OP_TEACHER]          = { "nina.roux",      "teacher without role" },
  [OP_PUPIL]            = { "eloise.dupont",  "pupil" },
  [OP_PARENT]           = { "marie.dupont",   "parent" },
  [OP_UNKNOWN]          = { "nobody.here",    "unknown login" },
  [OP_HEAD_NOWHERE]     = { "gilles.marin",   "head of an unknown structure" },
  [OP_WRONG_PASSPHRASE] = { "helene.roche",   "wrong passphrase" },
};

const char *
perm_operator_login (PermOperator op)
{
  g_assert (op < N_OPERATORS);
  return operators[op].login;
}

const char *
perm_operator_name (PermOperator op)
{
  g_assert (op < N_OPERATORS);
  return operators[op].name;
}

static const char more_sql[] =
  "INSERT INTO persons (key, kind, profile, title, last_name, first_name, structure, is_head, first_seen_at) VALUES"
  " ('S5', 'PersEducNat', 4, 'M.', 'Vidal', 'Henri', '52007', 1, 0),"
  " ('S6', 'PersEducNat', 4, 'Mme', 'Noel', 'Alice', '52007', 0, 0),"
  " ('S7', 'PersEducNat', 4, 'M.', 'Leroy', 'Denis', '52006', 0, 0),"
  " ('S8', 'PersEducNat', 4, 'M.', 'Petit', 'Rémi', '52006', 0, 0),"
  " ('S9', 'PersEducNat', 3, 'Mme', 'Roux', 'Nina', '52006', 0, 0),"
  " ('S10', 'PersEducNat', 4, 'M.', 'Marin', 'Gilles', '99999', 1, 0),"
  " ('S11', 'PersEducNat', 3, 'M.', 'Blanc', 'Yves', '52007', 0, 0),"
  " ('S12', 'PersEducNat', 4, 'Mme', 'Morel', 'Léa', '52007', 0, 0);"
  "INSERT INTO functions (person_key, structure, code, label) VALUES"
  " ('S5', '52007', 'DIR', 'DIRECTION'), ('S6', '52007', 'ADF', 'ADMINISTRATION'),"
  " ('S7', '52006', 'EDU', 'EDUCATION'), ('S8', '52006', 'EDU', 'EDUCATION'),"
  " ('S9', '52006', 'ENS', 'ENSEIGNEMENT'), ('S10', '99999', 'DIR', 'DIRECTION'),"
  " ('S11', '52007', 'ENS', 'ENSEIGNEMENT'), ('S12', '52007', 'EDU', 'EDUCATION');"
  "INSERT INTO teachings (person_key, structure, kind, code) VALUES ('S9', '52006', 'class', '5 B');"
  /* Marie DUPONT is also the mother of Jean DUPONT of the Lycée. */
  "INSERT INTO guardians (pupil_key, parent_key, relationship, legal) VALUES ('P8', 'P5', 10, 1);";

static const struct {
  const char    *key;
  SesameProfile  profile;
  const char    *first;
  const char    *last;
} more_people[] = {
  { "S5", SESAME_PROFILE_NON_ENSEIGNANT, "Henri", "Vidal" },
  { "S6", SESAME_PROFILE_NON_ENSEIGNANT, "Alice", "Noel" },
  { "S7", SESAME_PROFILE_NON_ENSEIGNANT, "Denis", "Leroy" },
  { "S8", SESAME_PROFILE_NON_ENSEIGNANT, "Rémi", "Petit" },
  { "S9", SESAME_PROFILE_ENSEIGNANT, "Nina", "Roux" },
  { "S10", SESAME_PROFILE_NON_ENSEIGNANT, "Gilles", "Marin" },
  { "S11", SESAME_PROFILE_ENSEIGNANT, "Yves", "Blanc" },
  { "S12", SESAME_PROFILE_NON_ENSEIGNANT, "Léa", "Morel" },
};

#define T0 G_GINT64_CONSTANT (1780000000)

SesameStore *
perm_fixture_store (const char  *dir,
                    char       **file_a,
                    char       **file_b)
{
  g_autoptr(SesameStore) store = sesame_test_fixture_store (dir);
  g_autoptr(SesameIdentifierFile) a = NULL;
  g_autoptr(SesameIdentifierFile) b = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_begin (store, &error));
  g_assert_true (_sesame_store_exec (store, more_sql, &error));
  for (guint i = 0; i < G_N_ELEMENTS (more_people); i++)
    {
      g_assert_true (_sesame_accounts_create (store, NULL, more_people[i].key, more_people[i].profile,
                                              more_people[i].first, more_people[i].last, NULL, &error));
      g_assert_true (_sesame_search_index_person (store, more_people[i].key, &error));
    }
  g_assert_true (_sesame_store_commit (store, &error));
  g_assert_no_error (error);

  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, "https://ent.example.org", &error));
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_NAME, "Mon ENT 74", &error));
  /* Alice NOEL set the store up: she administers all of it. */
  g_assert_true (sesame_operators_set_up (store, "alice.noel", SESAME_TEST_PASSPHRASE, &error));
  g_assert_true (_sesame_store_set_operator_trusted (store, NULL, &error));
  g_assert_true (sesame_roles_grant (store, PERM_MANAGER_A, SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_true (sesame_roles_grant (store, PERM_MANAGER_B, SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_true (sesame_roles_grant (store, "luc.bernard", SESAME_ROLE_SCOPE_CLASSES, &error));
  g_assert_true (sesame_roles_grant (store, "denis.leroy", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  g_assert_no_error (error);
  /* Every operator has a passphrase (the revoked and departed managers
   * too: theirs no longer opens anything). */
  {
    static const char * const enrolled[] = {
      "helene.roche", "henri.vidal", "sophie.garnier", "luc.bernard", "denis.leroy",
    };

    for (guint i = 0; i < G_N_ELEMENTS (enrolled); i++)
      sesame_test_enrol_operator (store, enrolled[i]);
  }

  /* Rémi PETIT's role is revoked on a desk whose clock is an hour behind
   * the one that granted it. */
  sesame_store_set_now (store, T0);
  g_assert_true (sesame_roles_grant (store, "remi.petit", SESAME_ROLE_SCOPE_ESTABLISHMENT, &error));
  sesame_test_enrol_operator (store, "remi.petit");
  sesame_store_set_now (store, T0 - 3600);
  g_assert_true (sesame_roles_revoke (store, "remi.petit", &error));
  sesame_store_set_now (store, 0);
  g_assert_no_error (error);

  /* Denis LEROY left the directory after he was granted the role, as a
   * deleteRequest or a complete export without him records it. */
  g_assert_true (_sesame_store_exec (store,
                                     "UPDATE persons SET left_at = 1780000000 WHERE key = 'S7';"
                                     "UPDATE accounts SET disabled_at = 1780000000 WHERE person_key = 'S7';",
                                     &error));
  g_assert_no_error (error);

  a = sesame_identifier_files_generate (store, PERM_UAI_A, 0, &error);
  g_assert_no_error (error);
  b = sesame_identifier_files_generate (store, PERM_UAI_B, 0, &error);
  g_assert_no_error (error);
  if (file_a != NULL)
    *file_a = g_strdup (a->id);
  if (file_b != NULL)
    *file_b = g_strdup (b->id);

  return g_steal_pointer (&store);
}

static const char import_xml[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<ficAlimMENESR>\n"
  "<addRequest>\n"
  "<operationalAttributes><attr name=\"categorieStructure\"><value>EtabEducNat</value></attr></operationalAttributes>\n"
  "<identifier><id>52006</id></identifier>\n"
  "<attributes>\n"
  "<attr name=\"ENTStructureJointure\"><value>52006</value></attr>\n"
  "<attr name=\"ENTStructureUAI\"><value>0740017S</value></attr>\n"
  "<attr name=\"ENTStructureNomCourant\"><value>NEW A</value></attr>\n"
  "<attr name=\"ENTServAcAcademie\"><value>GRENOBLE</value></attr>\n"
  "</attributes>\n"
  "</addRequest>\n"
  "<addRequest>\n"
  "<operationalAttributes><attr name=\"categorieStructure\"><value>EtabEducNat</value></attr></operationalAttributes>\n"
  "<identifier><id>52007</id></identifier>\n"
  "<attributes>\n"
  "<attr name=\"ENTStructureJointure\"><value>52007</value></attr>\n"
  "<attr name=\"ENTStructureUAI\"><value>0740018T</value></attr>\n"
  "<attr name=\"ENTStructureNomCourant\"><value>NEW B</value></attr>\n"
  "<attr name=\"ENTServAcAcademie\"><value>GRENOBLE</value></attr>\n"
  "</attributes>\n"
  "</addRequest>\n"
  "</ficAlimMENESR>\n";

char *
perm_write_import_file (const char *dir)
{
  g_autofree char *folder = g_build_filename (dir, "aaf", NULL);
  char *path = g_build_filename (folder, "FULL_ENTTEST_Delta_20260901_EtabEducNat_0000.xml", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, import_xml, -1, &error));
  g_assert_no_error (error);
  return path;
}

/**
 * perm_fixture_set_up:
 * @fixture: the test's fixture
 * @data: unused
 *
 * Writes the template store, its identifier files and the import file
 * into a folder of the test's own.
 */
void
perm_fixture_set_up (PermFixture   *fixture,
                     gconstpointer  data)
{
  g_autoptr(SesameStore) store = NULL;
  g_autofree char *template_dir = NULL;

  fixture->dir = sesame_test_make_tmpdir ();
  template_dir = g_build_filename (fixture->dir, "template", NULL);
  g_assert_cmpint (g_mkdir (template_dir, 0700), ==, 0);
  store = perm_fixture_store (template_dir, &fixture->file_a, &fixture->file_b);
  fixture->template_path = g_strdup (sesame_store_get_path (store));
  fixture->import_path = perm_write_import_file (fixture->dir);
}

/**
 * perm_fixture_tear_down:
 * @fixture: the test's fixture
 * @data: unused
 *
 * Removes the test's folder and the copies in it.
 */
void
perm_fixture_tear_down (PermFixture   *fixture,
                        gconstpointer  data)
{
  sesame_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->template_path);
  g_free (fixture->file_a);
  g_free (fixture->file_b);
  g_free (fixture->import_path);
}

/**
 * perm_fixture_copy_store:
 * @fixture: the test's fixture
 * @name: the cell's folder, unique in the test
 *
 * Returns: (transfer full): the path of a new copy of the template store,
 *   for one cell of the matrix
 */
char *
perm_fixture_copy_store (PermFixture *fixture,
                         const char  *name)
{
  g_autofree char *dir = g_build_filename (fixture->dir, name, NULL);
  char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(GFile) from = g_file_new_for_path (fixture->template_path);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return path;
}
