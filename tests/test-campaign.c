/* test-campaign.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Campaigns of the Diffusion des identifiants, sent to a real SMTP server on
 * localhost (tests/smtp-server.py).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesame-accounts-private.h"
#include "sesame-audit.h"
#include "sesame-campaign.h"
#include "sesame-campaign-private.h"
#include "sesame-activation-tokens-private.h"
#include "sesame-campaign-lease-private.h"
#include "sesame-campaign-message-private.h"
#include "sesame-campaign-report.h"
#include "sesame-campaigns-private.h"
#include "sesame-campaign-sender.h"
#include "sesame-credentials-private.h"
#include "sesame-mail-message.h"
#include "sesame-search-index-private.h"
#include "sesame-smtp-client.h"
#include "sesame-store-private.h"
#include "sesame-test-fixture.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

#define ENT_URL "https://ent.example.org/auth"

typedef struct
{
  SesameTestFixture     base;  /* the small school */
  SesameTestSmtpServer *server;
} Fixture;

static void
exec_sql (SesameStore *store,
          const char  *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (_sesame_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

static void
add_person (SesameStore   *store,
            const char    *key,
            SesameProfile  profile,
            const char    *first,
            const char    *last,
            const char    *structure,
            const char    *email)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = sqlite3_mprintf ("INSERT INTO persons (key, kind, profile, last_name, first_name, structure, email, first_seen_at)"
                         " VALUES (%Q, %Q, %d, %Q, %Q, %Q, %Q, 0)",
                         key, profile == SESAME_PROFILE_ELEVE ? "Eleve" : "PersRelEleve", profile,
                         last, first, structure, email);
  g_assert_true (_sesame_store_begin (store, &error));
  exec_sql (store, sql);
  g_assert_true (_sesame_accounts_create (store, NULL, key, profile, first, last, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (_sesame_search_index_person (store, key, &error));
  g_assert_true (_sesame_store_commit (store, &error));
  g_assert_no_error (error);
  sqlite3_free (g_steal_pointer (&sql));
}

/* The fixture's school, with addresses:
 *   with an address, never signed in: Éloïse DUPONT (P1, 6A), Zoé MARTIN
 *     (P3, 5 B), Marie DUPONT (P5, parent), Nathalie DUPONT (P9, parent,
 *     Lycée Berthollet), Yves AUTRE (X1, Autre), Lucie MAIRIE (X2,
 *     collectivité)
 *   without: Anne-Sophie D'ALMEIDA (P4, an invalid address), Paul DUPONT
 *     (P6), Claire MARTIN (P7)
 *   left out: Jean DUPONT (P2, signed in), Jean DUPONT (P8, disabled),
 *     the staff (academy). */
static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  sesame_test_fixture_set_up (&fixture->base, data);

  exec_sql (fixture->base.store,
            "UPDATE persons SET email = 'eloise.dupont@example.org' WHERE key = 'P1';"
            "UPDATE persons SET email = 'jean.dupont@example.org' WHERE key = 'P2';"
            "UPDATE persons SET email = 'zoe.martin@example.org' WHERE key = 'P3';"
            "UPDATE persons SET email = 'anne-sophie@' WHERE key = 'P4';"
            "UPDATE persons SET email = 'jean.dupont2@example.net' WHERE key = 'P8';"
            "UPDATE accounts SET first_sign_in_at = 1000 WHERE person_key = 'P2';"
            "UPDATE accounts SET disabled_at = 1000 WHERE person_key = 'P8';");
  add_person (fixture->base.store, "X1", SESAME_PROFILE_AUTRE, "Yves", "Autre", "52006", "yves.autre@example.org");
  add_person (fixture->base.store, "X2", SESAME_PROFILE_COLLECTIVITE, "Lucie", "Mairie", "52006", "lucie.mairie@example.org");

  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, ENT_URL, &error));
  g_assert_true (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_NAME, "Mon ENT 74", &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->server, sesame_test_smtp_server_free);
  sesame_test_fixture_tear_down (&fixture->base, data);
}

static void
start_server (Fixture    *fixture,
              const char *first_extra,
              ...)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) args = NULL;
  va_list ap;

  g_strv_builder_add_many (builder, "--user", SESAME_TEST_SMTP_USER, "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  va_start (ap, first_extra);
  for (const char *arg = first_extra; arg != NULL; arg = va_arg (ap, const char *))
    g_strv_builder_add (builder, arg);
  va_end (ap);
  args = g_strv_builder_end (builder);
  fixture->server = sesame_test_smtp_server_startv ((const char * const *) args, 0);
}

static SesameCampaign *
make_campaign (Fixture *fixture,
               guint    profiles)
{
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(GError) error = NULL;

  sesame_campaign_set_profiles (campaign, profiles);
  sesame_campaign_set_subject (campaign, "Collège Les Aravis - vos identifiants de connexion");
  sesame_campaign_set_free_text (campaign, "Réunion d'information le 12 septembre à 18 h.");
  g_assert_true (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sesame_campaign_get_id (campaign));
  return g_steal_pointer (&campaign);
}

static SesameCampaignSender *
make_sender (Fixture        *fixture,
             SesameCampaign *campaign,
             const char     *password)
{
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (fixture->server);
  SesameCampaignSender *sender = sesame_campaign_sender_new (fixture->base.store, sesame_campaign_get_id (campaign));

  sesame_campaign_sender_set_settings (sender, settings);
  sesame_campaign_sender_set_password (sender, password);
  sesame_campaign_sender_set_ca_file (sender, fixture->server->cert);
  sesame_campaign_sender_set_retry_delay (sender, 50);
  return sender;
}

static void
assert_strv_equal (GPtrArray          *actual,
                   const char * const *expected)
{
  g_autofree char *joined_actual = NULL;
  g_autofree char *joined_expected = g_strjoinv (",", (char **) expected);

  g_ptr_array_add (actual, NULL);
  joined_actual = g_strjoinv (",", (char **) actual->pdata);
  g_ptr_array_remove_index (actual, actual->len - 1);
  g_assert_cmpstr (joined_actual, ==, joined_expected);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
recipients_in_state (Fixture              *fixture,
                     SesameCampaign       *campaign,
                     SesameRecipientState  state)
{
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *keys = g_ptr_array_new_with_free_func (g_free);

  recipients = sesame_campaigns_list_recipients (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < recipients->len; i++)
    {
      SesameCampaignRecipient *r = g_ptr_array_index (recipients, i);

      if (r->state == state)
        g_ptr_array_add (keys, g_strdup (r->person_key));
    }
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

/* The link of the message: the activation page of the families' pages,
 * under the ENT's address with its path kept, the token as "jeton". */
static void
test_campaign_activation_link (void)
{
  static const struct { const char *ent_url, *link; } cases[] = {
    { "https://ent.example.org", "https://ent.example.org/activer?jeton=T0K" },
    { "https://ent.example.org/", "https://ent.example.org/activer?jeton=T0K" },
    { "https://ent.example.org/auth", "https://ent.example.org/auth/activer?jeton=T0K" },
    { "https://ent.example.org/auth/", "https://ent.example.org/auth/activer?jeton=T0K" },
    { "https://ent.example.org:8443", "https://ent.example.org:8443/activer?jeton=T0K" },
    { "https://ent.example.org?lang=fr", "https://ent.example.org/activer?lang=fr&jeton=T0K" },
    { "https://ent.example.org/auth?lang=fr", "https://ent.example.org/auth/activer?lang=fr&jeton=T0K" },
    { "https://ent.example.org#top", "https://ent.example.org/activer?jeton=T0K#top" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *link = _sesame_campaign_message_activation_link (cases[i].ent_url, "T0K");

      g_assert_cmpstr (link, ==, cases[i].link);
    }
}

static void
test_campaign_migrate_v1 (void)
{
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(GError) error = NULL;
  SesameStore *store;
  guint with = 0, without = 0;
  sqlite3 *db;

  /* A store written by the first version, with a school in it. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, _sesame_store_schema_migration (1), NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "INSERT INTO meta (key, value) VALUES ('store-id', 'v1-store');"
                                 "INSERT INTO settings (key, value, changed_at) VALUES ('ent-url', '" ENT_URL "', 0);"
                                 "INSERT INTO establishments (jointure, uai, name, first_seen_at) VALUES ('52006', '0740017S', 'Collège Les Aravis', 0);"
                                 "INSERT INTO persons (key, kind, profile, last_name, first_name, structure, email, first_seen_at)"
                                 " VALUES ('2605692', 'Eleve', 1, 'Long', 'Kù', '52006', 'ku.long@example.org', 0),"
                                 "        ('2605693', 'Eleve', 1, 'Roux', 'Léa', '52006', '', 0);"
                                 "INSERT INTO accounts (person_key, login, created_at) VALUES ('2605692', 'ku.long', 0), ('2605693', 'lea.roux', 0);"
                                 "PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sesame_store_get_schema_version (store), ==, _sesame_store_schema_version ());
  g_assert_cmpstr (sesame_store_get_id (store), ==, "v1-store");

  /* Its data feed a campaign at once. */
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sesame_campaign_set_subject (campaign, "Vos identifiants");
  g_assert_true (sesame_campaigns_count (store, campaign, &with, &without, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (with, ==, 1);
  g_assert_cmpuint (without, ==, 1);
  g_assert_true (sesame_campaigns_create (store, campaign, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sesame_campaign_get_counts (campaign)->total, ==, 2);
  g_assert_finalize_object (store);

  sesame_test_remove_tree (dir);
}

static void
test_campaign_eligible (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) no_address = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *preview = NULL;
  g_autofree char *to = NULL;
  g_autofree char *subject = NULL;
  const char *six_a[] = { "6A", NULL };
  guint with = 0, without = 0;

  /* Pupils and parents. */
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE) | SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
  subject = sesame_campaign_message_dup_default_subject (fixture->base.store, campaign);
  g_assert_cmpstr (subject, ==, "Your ENT login details");
  sesame_campaign_set_establishment (campaign, "0740017S");
  g_free (subject);
  subject = sesame_campaign_message_dup_default_subject (fixture->base.store, campaign);
  g_assert_cmpstr (subject, ==, "Collège Les Aravis - your login details");
  sesame_campaign_set_establishment (campaign, NULL);
  sesame_campaign_set_subject (campaign, subject);

  g_assert_true (sesame_campaigns_count (fixture->base.store, campaign, &with, &without, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (with, ==, 4);    /* P1 P3 P5 P9 */
  g_assert_cmpuint (without, ==, 3); /* P4 P6 P7 */

  /* Narrowed to a class: its pupils and their parents. */
  sesame_campaign_set_classes (campaign, six_a);
  g_assert_true (sesame_campaigns_count (fixture->base.store, campaign, &with, &without, &error));
  g_assert_cmpuint (with, ==, 2);    /* P1 P5 */
  g_assert_cmpuint (without, ==, 1); /* P6 */
  sesame_campaign_set_classes (campaign, NULL);

  /* Narrowed to the lycée: only Nathalie (her son is disabled). */
  sesame_campaign_set_establishment (campaign, "0740018T");
  g_assert_true (sesame_campaigns_count (fixture->base.store, campaign, &with, &without, &error));
  g_assert_cmpuint (with, ==, 1);
  g_assert_cmpuint (without, ==, 0);
  sesame_campaign_set_establishment (campaign, NULL);

  /* The preview is a real message with the login and no token. */
  preview = sesame_campaign_message_preview (fixture->base.store, campaign, &to, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (to, ==, "Éloïse DUPONT <eloise.dupont@example.org>");
  g_assert_true (g_str_has_prefix (preview, "Hello Éloïse DUPONT,\n"));
  g_assert_nonnull (strstr (preview, "your ENT Mon ENT 74:"));
  g_assert_nonnull (strstr (preview, "ENT login: eloise.dupont\n"));
  g_assert_nonnull (strstr (preview, ENT_URL "/activer?jeton=…\n"));
  g_assert_true (g_str_has_suffix (preview, "Kind regards,\n\nCollège Les Aravis\n" ENT_URL "\n"));

  g_assert_true (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_no_error (error);
  waiting = recipients_in_state (fixture, campaign, SESAME_RECIPIENT_WAITING);
  no_address = recipients_in_state (fixture, campaign, SESAME_RECIPIENT_NO_ADDRESS);
  assert_strv_equal (waiting, (const char *[]) { "P1", "P3", "P5", "P9", NULL });
  assert_strv_equal (no_address, (const char *[]) { "P4", "P6", "P7", NULL });
}

static void
test_campaign_refusals (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = g_strnfill (76, 'x');
  g_autoptr(GPtrArray) campaigns = NULL;

  sesame_campaign_set_subject (campaign, "Vos identifiants");

  /* A profile is required. */
  g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  /* Academy staff are never targeted, even beside others. */
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) | SESAME_PROFILE_BIT (SESAME_PROFILE_ENSEIGNANT));
  g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_NON_ENSEIGNANT));
  g_assert_false (sesame_campaigns_count (fixture->base.store, campaign, NULL, NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));

  /* The subject: required, one line, 75 characters at most. */
  const char *bad_subjects[] = { "", "Vos identifiants\r\nBcc: all@example.org", subject };
  for (guint i = 0; i < G_N_ELEMENTS (bad_subjects); i++)
    {
      sesame_campaign_set_subject (campaign, bad_subjects[i]);
      g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
      g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
      g_clear_error (&error);
    }
  sesame_campaign_set_subject (campaign, "Vos identifiants");

  /* The free text: 600 characters at most. */
  {
    g_autofree char *long_text = g_strnfill (601, 'a');
    sesame_campaign_set_free_text (campaign, long_text);
    g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
    g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
    g_clear_error (&error);
    sesame_campaign_set_free_text (campaign, NULL);
  }

  /* Only administrators send: a teacher is refused, the head is not. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "luc.bernard", &error));
  g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_null (sesame_campaigns_list (fixture->base.store, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_PERMISSION_DENIED);
  g_clear_error (&error);
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, NULL, &error));

  /* The link carries a token: an ENT address over plain http is refused
   * as a setting, and before sending when an older store holds one. */
  g_assert_false (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, "http://ent.example.org/auth", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);
  g_assert_false (sesame_store_settings_set (fixture->base.store, SESAME_SETTING_ENT_URL, "https://", &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);
  exec_sql (fixture->base.store, "UPDATE settings SET value = 'http://ent.example.org/auth' WHERE key = 'ent-url'");
  g_assert_false (sesame_campaigns_check (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "http://ent.example.org/auth"));
  g_clear_error (&error);
  g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_INVALID);
  g_clear_error (&error);

  /* Without an ENT address the message would have no link. */
  exec_sql (fixture->base.store, "DELETE FROM settings WHERE key = 'ent-url'");
  g_assert_false (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_ENT_NOT_SET);
  g_clear_error (&error);

  campaigns = sesame_campaigns_list (fixture->base.store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (campaigns->len, ==, 0);
}

/* The token of a message's link. */
static char *
token_of (const char *body)
{
  const char *start = strstr (body, "/activer?jeton=");
  const char *end;

  g_assert_nonnull (start);
  start += strlen ("/activer?jeton=");
  for (end = start; g_ascii_isalnum (*end) || *end == '-' || *end == '_'; end++)
    ;
  return g_strndup (start, end - start);
}

/* The text of a part of a parsed message. */
static char *
part_text (GMimeObject *multipart,
           int          index,
           const char  *subtype)
{
  GMimeObject *part = g_mime_multipart_get_part (GMIME_MULTIPART (multipart), index);
  GMimeContentType *type = g_mime_object_get_content_type (part);

  g_assert_true (GMIME_IS_TEXT_PART (part));
  g_assert_cmpstr (g_mime_content_type_get_media_type (type), ==, "text");
  g_assert_cmpstr (g_mime_content_type_get_media_subtype (type), ==, subtype);
  g_assert_cmpstr (g_mime_text_part_get_charset (GMIME_TEXT_PART (part)), ==, "utf-8");
  return g_mime_text_part_get_text (GMIME_TEXT_PART (part));
}

static void
test_campaign_one_establishment (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *subject = NULL;

  start_server (fixture, NULL);

  /* Every profile, but only the collège: Nathalie, a parent at the lycée,
   * is left out; the subject names the collège. */
  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE) |
                                          SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) |
                                          SESAME_PROFILE_BIT (SESAME_PROFILE_AUTRE) |
                                          SESAME_PROFILE_BIT (SESAME_PROFILE_COLLECTIVITE));
  sesame_campaign_set_establishment (campaign, "0740017s");
  subject = sesame_campaign_message_dup_default_subject (fixture->base.store, campaign);
  g_assert_cmpstr (subject, ==, "Collège Les Aravis - your login details");
  sesame_campaign_set_subject (campaign, subject);
  g_assert_true (sesame_campaigns_create (fixture->base.store, campaign, &error));
  g_assert_no_error (error);
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) {
    "eloise.dupont@example.org", "lucie.mairie@example.org", "marie.dupont@example.org",
    "yves.autre@example.org", "zoe.martin@example.org", NULL });
  skipped = recipients_in_state (fixture, campaign, SESAME_RECIPIENT_NO_ADDRESS);
  assert_strv_equal (skipped, (const char *[]) { "P4", "P6", "P7", NULL });

  /* Each message, parsed back: both parts, the link, the signature. */
  log = sesame_test_smtp_server_read_log (fixture->server);
  g_assert_cmpuint (log->len, ==, 5);
  for (guint i = 0; i < log->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (log, i);
      g_autoptr(GMimeMessage) message = sesame_test_smtp_server_parse (fixture->server, json_object_get_string_member (entry, "file"));
      GMimeObject *body = g_mime_message_get_mime_part (message);
      g_autofree char *plain = NULL;
      g_autofree char *html = NULL;
      g_autofree char *token = NULL;
      g_autofree char *link = NULL;
      g_autofree char *anchor = NULL;

      g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Collège Les Aravis - your login details");
      g_assert_true (GMIME_IS_MULTIPART (body));
      g_assert_cmpstr (g_mime_content_type_get_media_subtype (g_mime_object_get_content_type (body)), ==, "alternative");
      g_assert_cmpint (g_mime_multipart_get_count (GMIME_MULTIPART (body)), ==, 2);
      plain = part_text (body, 0, "plain");
      html = part_text (body, 1, "html");

      /* The plain text keeps the address and says where it leads. */
      token = token_of (plain);
      link = g_strdup_printf (ENT_URL "/activer?jeton=%s", token);
      {
        g_autofree char *expected = g_strdup_printf ("60 days to set your password:\r\n%s\r\n"
                                                     "(this link takes you to the page of your ENT where you will choose your password)\r\n",
                                                     link);
        g_assert_nonnull (strstr (plain, expected));
      }
      g_assert_true (g_str_has_suffix (plain, "Kind regards,\r\n\r\nCollège Les Aravis\r\n" ENT_URL "\r\n"));
      g_assert_null (strstr (plain, "La Clusaz"));

      /* The HTML puts the same link on the words, not in sight. */
      anchor = g_strdup_printf ("60 days to <a href=\"%s\">set your password</a> (this link takes you", link);
      g_assert_nonnull (strstr (html, anchor));
      g_assert_null (strstr (html, ">" ENT_URL "/activer?jeton="));
      g_assert_nonnull (strstr (html, "<p>Collège Les Aravis<br>\r\n<a href=\"" ENT_URL "\">" ENT_URL "</a></p>"));
    }

  /* The campaign remembers it was for one establishment. */
  {
    g_autoptr(SesameCampaign) found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (sesame_campaign_get_establishment (found), ==, "0740017S");
  }
}

static void
test_campaign_send (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GPtrArray) audit = NULL;
  g_autoptr(GBytes) report = NULL;
  g_autoptr(GBytes) without = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report_text = NULL;
  g_autofree char *without_text = NULL;
  g_autofree char *report_path = g_build_filename (fixture->base.dir, "report.csv", NULL);
  GHashTable *tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const SesameCampaignCounts *counts;
  GStatBuf st;

  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE) |
                                     SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) |
                                     SESAME_PROFILE_BIT (SESAME_PROFILE_AUTRE) |
                                     SESAME_PROFILE_BIT (SESAME_PROFILE_COLLECTIVITE));
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sesame_campaign_sender_get_sent (sender), ==, 6);
  g_assert_cmpuint (sesame_campaign_sender_get_remaining (sender), ==, 0);

  /* Exactly the eligible accounts, once each. */
  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) {
    "eloise.dupont@example.org", "lucie.mairie@example.org", "marie.dupont@example.org",
    "nathalie.dupont@example.net", "yves.autre@example.org", "zoe.martin@example.org", NULL });

  /* Each message, parsed back. */
  log = sesame_test_smtp_server_read_log (fixture->server);
  for (guint i = 0; i < log->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (log, i);
      g_autoptr(GMimeMessage) message = sesame_test_smtp_server_parse (fixture->server, json_object_get_string_member (entry, "file"));
      const char *address = json_array_get_string_element (json_object_get_array_member (entry, "to"), 0);
      g_autoptr(SesamePerson) person = NULL;
      InternetAddress *to;
      GMimeObject *part;
      g_autofree char *body = NULL;
      g_autofree char *expected_login = NULL;

      g_assert_cmpstr (g_mime_message_get_subject (message), ==, "Collège Les Aravis - vos identifiants de connexion");
      g_assert_cmpstr (g_mime_object_get_header (GMIME_OBJECT (message), "Auto-Submitted"), ==, "auto-generated");
      g_assert_nonnull (g_mime_message_get_message_id (message));
      g_assert_nonnull (g_mime_message_get_date (message));
      g_assert_cmpstr (internet_address_get_name (internet_address_list_get_address (g_mime_message_get_from (message), 0)),
                       ==, "Collège Les Aravis");
      to = internet_address_list_get_address (g_mime_message_get_to (message), 0);
      g_assert_cmpstr (internet_address_mailbox_get_addr (INTERNET_ADDRESS_MAILBOX (to)), ==, address);

      part = g_mime_message_get_mime_part (message);
      g_assert_true (GMIME_IS_MULTIPART (part));
      part = g_mime_multipart_get_part (GMIME_MULTIPART (part), 0);
      body = g_mime_text_part_get_text (GMIME_TEXT_PART (part));

      /* The person's own login, the link, the free text; no password. */
      {
        sqlite3_stmt *stmt = _sesame_store_prepare (fixture->base.store,
                                                    "SELECT a.login, a.person_key FROM accounts a JOIN persons p ON p.key = a.person_key WHERE p.email = ?",
                                                    &error);
        g_autofree char *password = NULL;
        g_autofree char *line = NULL;

        sqlite3_bind_text (stmt, 1, address, -1, SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        expected_login = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        password = _sesame_credentials_dup_first_password (fixture->base.store, (const char *) sqlite3_column_text (stmt, 1));
        sqlite3_reset (stmt);

        line = g_strdup_printf ("ENT login: %s\r\n", expected_login);
        g_assert_nonnull (strstr (body, line));
        g_assert_nonnull (password);
        g_assert_null (strstr (body, password));
      }
      g_assert_nonnull (strstr (body, "Hello "));
      g_assert_nonnull (strstr (body, ENT_URL "/activer?jeton="));
      g_assert_nonnull (strstr (body, "Réunion d'information le 12 septembre à 18 h."));
      g_hash_table_insert (tokens, token_of (body), g_strdup (expected_login));
    }
  g_assert_cmpuint (g_hash_table_size (tokens), ==, 6);

  /* Every link works once, for its own account. */
  {
    GHashTableIter iter;
    gpointer token, login;

    g_hash_table_iter_init (&iter, tokens);
    while (g_hash_table_iter_next (&iter, &token, &login))
      {
        g_autofree char *redeemed = sesame_activation_tokens_redeem (fixture->base.store, token, &error);

        g_assert_no_error (error);
        g_assert_cmpstr (redeemed, ==, login);
        g_assert_null (sesame_activation_tokens_redeem (fixture->base.store, token, &error));
        g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
        g_clear_error (&error);
      }
  }
  /* Only hashes are kept. */
  {
    GHashTableIter iter;
    gpointer token;
    sqlite3_stmt *stmt = _sesame_store_prepare (fixture->base.store, "SELECT count(*) FROM activation_tokens WHERE token_hash = ?", &error);

    g_hash_table_iter_init (&iter, tokens);
    while (g_hash_table_iter_next (&iter, &token, NULL))
      {
        sqlite3_reset (stmt);
        sqlite3_bind_text (stmt, 1, token, -1, SQLITE_TRANSIENT);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
      }
    sqlite3_reset (stmt);
  }

  found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_state (found), ==, SESAME_CAMPAIGN_STATE_FINISHED);
  counts = sesame_campaign_get_counts (found);
  g_assert_cmpuint (counts->total, ==, 9);
  g_assert_cmpuint (counts->counts[SESAME_RECIPIENT_SENT], ==, 6);
  g_assert_cmpuint (counts->counts[SESAME_RECIPIENT_NO_ADDRESS], ==, 3);
  g_assert_cmpint (sesame_campaign_get_finished_at (found), >, 0);

  /* The send report and the list of accounts without an address. */
  report = sesame_campaign_report_render (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  report_text = g_strndup (g_bytes_get_data (report, NULL), g_bytes_get_size (report));
  g_assert_true (g_str_has_prefix (report_text, "\xEF\xBB\xBFLogin;Last name;First name;Profile;Email address;State;Server reply;Time\r\n"));
  g_assert_nonnull (strstr (report_text, "eloise.dupont;Dupont;Éloïse;Pupil;eloise.dupont@example.org;Sent;250 2.0.0 OK: queued as "));
  g_assert_nonnull (strstr (report_text, "paul.dupont;Dupont;Paul;Parent;;No address;No email address in the directory.;"));
  without = sesame_campaign_report_render_without_address (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  without_text = g_strndup (g_bytes_get_data (without, NULL), g_bytes_get_size (without));
  g_assert_nonnull (strstr (without_text, "claire.martin;Martin;Claire;Parent;5 B;0740017S;Chalet Les Sapins, Lieu-dit Le Crêt;74220;La Clusaz;FRANCE;"));
  g_assert_nonnull (strstr (without_text, "anne-sophie.dalmeida;D'Almeida;Anne-Sophie;Pupil;5 B;0740017S;"));
  g_assert_null (strstr (without_text, "eloise.dupont"));
  g_assert_true (sesame_campaign_report_export (fixture->base.store, sesame_campaign_get_id (campaign), report_path, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (report_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The audit trail has the start and the end, and no token. */
  audit = sesame_audit_list (fixture->base.store, FALSE, 100, &error);
  g_assert_no_error (error);
  {
    gboolean started = FALSE, ended = FALSE;

    for (guint i = 0; i < audit->len; i++)
      {
        SesameAuditEntry *entry = g_ptr_array_index (audit, i);
        GHashTableIter iter;
        gpointer token;

        started |= g_str_equal (entry->action, "campaign-start");
        ended |= g_str_equal (entry->action, "campaign-end");
        g_hash_table_iter_init (&iter, tokens);
        while (g_hash_table_iter_next (&iter, &token, NULL))
          g_assert_null (strstr (entry->detail, token));
      }
    g_assert_true (started);
    g_assert_true (ended);
  }

  /* Nothing left: running it again sends nothing. */
  g_clear_object (&sender);
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 6);

  g_hash_table_unref (tokens);
}

static void
test_campaign_report_mailed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GMimeMessage) report = NULL;
  g_autoptr(GError) error = NULL;
  GMimeObject *part;
  GMimeObject *attachment;

  /* The head of establishment sends; she has an address. */
  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);
  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (sesame_campaign_sender_get_report_error (sender));

  /* Her campaign is for her establishment: Nathalie, a parent of the
   * Lycée Berthollet, is not hers to write to. */
  g_assert_cmpstr (sesame_campaign_get_establishment (campaign), ==, "0740017S");
  log = sesame_test_smtp_server_read_log (fixture->server);
  g_assert_cmpuint (log->len, ==, 2); /* Marie, then the report */
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (g_ptr_array_index (log, 1), "to"), 0),
                   ==, "helene.roche@example.org");
  report = sesame_test_smtp_server_parse (fixture->server, json_object_get_string_member (g_ptr_array_index (log, 1), "file"));
  g_assert_true (g_str_has_prefix (g_mime_message_get_subject (report), "Send report: "));
  part = g_mime_message_get_mime_part (report);
  g_assert_true (GMIME_IS_MULTIPART (part));
  attachment = g_mime_multipart_get_part (GMIME_MULTIPART (part), 1);
  g_assert_true (g_str_has_prefix (g_mime_part_get_filename (GMIME_PART (attachment)), "send-report-"));
  {
    g_autoptr(GMimeStream) stream = g_mime_stream_mem_new ();
    GByteArray *bytes;
    g_autofree char *csv = NULL;

    g_mime_data_wrapper_write_to_stream (g_mime_part_get_content (GMIME_PART (attachment)), stream);
    bytes = g_mime_stream_mem_get_byte_array (GMIME_STREAM_MEM (stream));
    csv = g_strndup ((const char *) bytes->data, bytes->len);
    g_assert_nonnull (strstr (csv, "marie.dupont;Dupont;Marie;Parent;marie.dupont@example.org;Sent;250 "));
    g_assert_nonnull (strstr (csv, "claire.martin;Martin;Claire;Parent;;No address;"));
    g_assert_null (strstr (csv, "nathalie.dupont"));
  }

  found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_report_sent_at (found), >, 0);
}

/* Holds the run back once the first message is sent, so that whatever
 * the run writes afterwards carries a later second. */
static void
wait_after_first_sent (const SesameCampaignCounts *counts,
                       gpointer                    user_data)
{
  gboolean *waited = user_data;

  if (!*waited && counts->counts[SESAME_RECIPIENT_SENT] > 0)
    {
      *waited = TRUE;
      g_usleep (1100 * 1000);
    }
}

static void
test_campaign_report_leaves_recipients_alone (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  gboolean waited = FALSE;
  sqlite3_stmt *stmt;

  g_assert_true (_sesame_store_set_operator_trusted (fixture->base.store, "helene.roche", &error));
  g_assert_no_error (error);
  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, wait_after_first_sent, &waited, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (waited);
  log = sesame_test_smtp_server_read_log (fixture->server);
  g_assert_cmpuint (log->len, ==, 2); /* Marie, then the report */

  /* Mailing the report, a second later, is no step of Marie's message:
   * her row and her attempt say when her message's end of data left. */
  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (fixture->base.store),
                                       "SELECT r.data_sent_at, r.sent_at, a.data_sent_at, a.finished_at"
                                       " FROM campaign_recipients r JOIN campaign_attempts a"
                                       " ON a.campaign_id = r.campaign_id AND a.person_key = r.person_key"
                                       " WHERE r.campaign_id = ? AND r.state = 'sent'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, sesame_campaign_get_id (campaign), -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >, 0);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), <=, sqlite3_column_int64 (stmt, 1));
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), >, 0);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 2), <=, sqlite3_column_int64 (stmt, 3));
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
}

static SesameCampaignRecipient *
find_recipient (Fixture        *fixture,
                SesameCampaign *campaign,
                const char     *key,
                GPtrArray     **keep)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (keep, g_ptr_array_unref);
  *keep = sesame_campaigns_list_recipients (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  for (guint i = 0; i < (*keep)->len; i++)
    {
      SesameCampaignRecipient *r = g_ptr_array_index (*keep, i);

      if (g_str_equal (r->person_key, key))
        return r;
    }
  g_assert_not_reached ();
}

static int
query_int (Fixture    *fixture,
           const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  int value;

  g_assert_cmpint (sqlite3_prepare_v2 (_sesame_store_get_db (fixture->base.store), sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

static void
test_campaign_retries (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GError) error = NULL;
  SesameCampaignRecipient *r;

  /* Marie's server is greylisting (451 twice), Nathalie's mailbox is gone
   * (550), Zoé's server never stops answering 451. */
  start_server (fixture, "--tempfail", "marie.dupont@example.org=2",
                "--permfail", "nathalie.dupont@example.net",
                "--tempfail", "zoe.martin@example.org=100", NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) | SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  sesame_campaign_sender_set_max_attempts (sender, 3);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) { "eloise.dupont@example.org", "marie.dupont@example.org", NULL });

  r = find_recipient (fixture, campaign, "P5", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_SENT);
  g_assert_cmpuint (r->attempts, ==, 3);
  r = find_recipient (fixture, campaign, "P9", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_FAILED);
  g_assert_cmpuint (r->attempts, ==, 1);
  g_assert_true (g_str_has_prefix (r->reply, "550 5.1.1"));
  r = find_recipient (fixture, campaign, "P3", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_FAILED);
  g_assert_cmpuint (r->attempts, ==, 3);
  g_assert_true (g_str_has_prefix (r->reply, "Gave up after 3 attempts: 451 4.3.0"));

  /* Every attempt is in the send log; links of undelivered messages are
   * revoked, the delivered one lives. */
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM campaign_attempts WHERE person_key = 'P5'"), ==, 3);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM campaign_attempts WHERE person_key = 'P5' AND result = 'temporary'"), ==, 2);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM activation_tokens WHERE person_key = 'P5' AND revoked_at IS NULL"), ==, 1);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM activation_tokens WHERE person_key = 'P9' AND revoked_at IS NULL"), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM activation_tokens WHERE person_key = 'P3' AND revoked_at IS NULL"), ==, 0);
}

static void
test_campaign_server_goes_away (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;
  const SesameCampaignCounts *counts;

  /* The server answers two messages, then goes away for good. */
  start_server (fixture, "--exit-after", "2", NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE) | SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) |
                                     SESAME_PROFILE_BIT (SESAME_PROFILE_AUTRE) | SESAME_PROFILE_BIT (SESAME_PROFILE_COLLECTIVITE));
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_false (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);

  found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_state (found), ==, SESAME_CAMPAIGN_STATE_INTERRUPTED);
  g_assert_nonnull (strstr (sesame_campaign_get_last_error (found), "connection refused"));
  counts = sesame_campaign_get_counts (found);
  g_assert_cmpuint (counts->counts[SESAME_RECIPIENT_SENT], ==, 2);
  g_assert_cmpuint (counts->counts[SESAME_RECIPIENT_WAITING], ==, 4);
  g_assert_cmpuint (counts->counts[SESAME_RECIPIENT_SENDING], ==, 0);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 2);

  /* Back again: resuming sends the other four, and nobody twice. */
  sesame_test_smtp_server_restart (fixture->server, "--user", SESAME_TEST_SMTP_USER,
                                   "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
  g_clear_object (&sender);
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) {
    "eloise.dupont@example.org", "lucie.mairie@example.org", "marie.dupont@example.org",
    "nathalie.dupont@example.net", "yves.autre@example.org", "zoe.martin@example.org", NULL });
}

static void
test_campaign_auth_refused (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GError) error = NULL;

  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));
  sender = make_sender (fixture, campaign, "not the password");
  g_assert_false (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_error (error, SESAME_SMTP_ERROR, SESAME_SMTP_ERROR_AUTHENTICATION);
  g_assert_nonnull (strstr (error->message, "535"));
  g_clear_error (&error);

  found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_cmpint (sesame_campaign_get_state (found), ==, SESAME_CAMPAIGN_STATE_INTERRUPTED);
  g_assert_nonnull (strstr (sesame_campaign_get_last_error (found), "refused the user name or the password"));
  g_assert_null (strstr (sesame_campaign_get_last_error (found), "not the password"));
  g_assert_cmpuint (sesame_campaign_get_counts (found)->counts[SESAME_RECIPIENT_WAITING], ==, 2);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 0);
  g_assert_cmpint (query_int (fixture, "SELECT count(*) FROM activation_tokens WHERE revoked_at IS NULL"), ==, 0);
}

static gint64
dead_pid (void)
{
  const char *argv[] = { "true", NULL };
  g_autoptr(GError) error = NULL;
  GPid pid;
  int status;

  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return pid;
}

static void
hold_campaign (Fixture        *fixture,
               SesameCampaign *campaign,
               gint64          pid)
{
  g_autofree char *sql = NULL;

  sql = sqlite3_mprintf ("UPDATE campaigns SET state = 'sending', run_id = 'other-run', run_host = %Q,"
                         " run_pid = %lld, run_heartbeat_at = %lld, started_at = 1 WHERE id = %Q",
                         g_get_host_name (), (long long) pid, (long long) sesame_store_now (fixture->base.store),
                         sesame_campaign_get_id (campaign));
  exec_sql (fixture->base.store, sql);
  sqlite3_free (g_steal_pointer (&sql));
}

/* A run killed half way: Marie's row was marked 'sending' but nothing was
 * handed to the server; Nathalie's message was handed over, then the run
 * died before the answer. */
static void
test_campaign_crash_recovery (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;
  SesameCampaignRecipient *r;

  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT));

  g_assert_true (_sesame_store_begin (fixture->base.store, &error));
  token = _sesame_activation_tokens_issue (fixture->base.store, "P5", sesame_campaign_get_id (campaign), NULL, &error);
  g_assert_nonnull (token);
  g_assert_true (_sesame_store_commit (fixture->base.store, &error));
  exec_sql (fixture->base.store,
            "UPDATE campaign_recipients SET state = 'sending' WHERE person_key = 'P5';"
            "UPDATE campaign_recipients SET state = 'sending', data_sent_at = 5 WHERE person_key = 'P9';");

  /* A run still alive holds it: nobody else may send. */
  hold_campaign (fixture, campaign, getpid ());
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_false (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 0);

  /* Its process is gone: the campaign shows as interrupted, and resumes. */
  hold_campaign (fixture, campaign, dead_pid ());
  found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_cmpint (sesame_campaign_get_state (found), ==, SESAME_CAMPAIGN_STATE_INTERRUPTED);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Marie gets her message; Nathalie's may have arrived: not sent again. */
  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) { "marie.dupont@example.org", NULL });
  r = find_recipient (fixture, campaign, "P9", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_UNCERTAIN);
  g_assert_nonnull (strstr (r->reply, "may have been delivered"));
  /* The link of the message Marie never got was revoked. */
  g_assert_null (sesame_activation_tokens_redeem (fixture->base.store, token, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The operator asks to send those again. */
  g_clear_object (&sender);
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  sesame_campaign_sender_set_resend_uncertain (sender, TRUE);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&received, g_ptr_array_unref);
  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) { "marie.dupont@example.org", "nathalie.dupont@example.net", NULL });
  r = find_recipient (fixture, campaign, "P9", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_SENT);
}

static void
test_campaign_changes_before_turn (Fixture       *fixture,
                                   gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GError) error = NULL;
  SesameCampaignRecipient *r;

  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) | SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));

  /* After the campaign was recorded: Éloïse signs in, Zoé's address is
   * removed, Marie's login is corrected. */
  exec_sql (fixture->base.store,
            "UPDATE accounts SET first_sign_in_at = 2000 WHERE person_key = 'P1';"
            "UPDATE persons SET email = '' WHERE key = 'P3';");
  g_assert_true (sesame_accounts_set_login (fixture->base.store, "marie.dupont", "marie.dupont-roux", &error));
  g_assert_no_error (error);

  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) { "marie.dupont@example.org", "nathalie.dupont@example.net", NULL });
  r = find_recipient (fixture, campaign, "P1", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_SKIPPED);
  r = find_recipient (fixture, campaign, "P3", &keep);
  g_assert_cmpint (r->state, ==, SESAME_RECIPIENT_NO_ADDRESS);
  r = find_recipient (fixture, campaign, "P5", &keep);
  g_assert_cmpstr (r->login, ==, "marie.dupont-roux");

  log = sesame_test_smtp_server_read_log (fixture->server);
  for (guint i = 0; i < log->len; i++)
    {
      JsonObject *entry = g_ptr_array_index (log, i);
      g_autoptr(GMimeMessage) message = NULL;
      g_autofree char *body = NULL;
      GMimeObject *part;

      if (!g_str_equal (json_array_get_string_element (json_object_get_array_member (entry, "to"), 0),
                        "marie.dupont@example.org"))
        continue;
      message = sesame_test_smtp_server_parse (fixture->server, json_object_get_string_member (entry, "file"));
      part = g_mime_multipart_get_part (GMIME_MULTIPART (g_mime_message_get_mime_part (message)), 0);
      body = g_mime_text_part_get_text (GMIME_TEXT_PART (part));
      g_assert_nonnull (strstr (body, "ENT login: marie.dupont-roux\r\n"));
    }
}

typedef struct
{
  Fixture              *fixture;
  SesameCampaign       *campaign;
  SesameCampaignSender *sender;
  GCancellable         *cancellable;
  GMainLoop            *loop;
  GError               *error;
  guint                 sent_at_pause;
  gboolean              paused_checked;
  gboolean              done;
} PauseTest;

static gboolean
check_paused (gpointer data)
{
  PauseTest *test = data;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) other = NULL;
  g_autoptr(GError) error = NULL;

  /* Nothing went out during the pause; the store says so; nobody else may
   * take the campaign meanwhile. */
  g_assert_cmpuint (sesame_test_smtp_server_count (test->fixture->server), ==, test->sent_at_pause);
  found = sesame_campaigns_find (test->fixture->base.store, sesame_campaign_get_id (test->campaign), &error);
  g_assert_no_error (error);
  g_assert_cmpint (sesame_campaign_get_state (found), ==, SESAME_CAMPAIGN_STATE_PAUSED);
  other = make_sender (test->fixture, test->campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_false (sesame_campaign_sender_run (other, NULL, NULL, NULL, &error));
  g_assert_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED);

  test->paused_checked = TRUE;
  sesame_campaign_sender_set_paused (test->sender, FALSE);
  return G_SOURCE_REMOVE;
}

static void
on_sent (SesameCampaignSender *sender,
         GParamSpec           *pspec,
         PauseTest            *test)
{
  guint sent = sesame_campaign_sender_get_sent (sender);

  if (sent == 2 && !sesame_campaign_sender_get_paused (sender) && !test->paused_checked)
    {
      sesame_campaign_sender_set_paused (sender, TRUE);
      /* The message in flight, if any, is let finish. */
      g_usleep (300000);
      test->sent_at_pause = sesame_test_smtp_server_count (test->fixture->server);
      g_timeout_add (600, check_paused, test);
    }
  else if (sent == 4 && test->paused_checked)
    g_cancellable_cancel (test->cancellable);
}

static void
on_run_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  PauseTest *test = user_data;

  sesame_campaign_sender_run_finish (SESAME_CAMPAIGN_SENDER (source), result, &test->error);
  test->done = TRUE;
  g_main_loop_quit (test->loop);
}

static void
test_campaign_pause_cancel (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(SesameCampaign) found = NULL;
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;
  PauseTest test = { 0 };
  guint waiting;

  start_server (fixture, NULL);
  campaign = make_campaign (fixture, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE) | SESAME_PROFILE_BIT (SESAME_PROFILE_PARENT) |
                                     SESAME_PROFILE_BIT (SESAME_PROFILE_AUTRE) | SESAME_PROFILE_BIT (SESAME_PROFILE_COLLECTIVITE));
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  /* 300 a minute: one message every 200 ms. */
  settings = sesame_test_smtp_server_settings (fixture->server);
  sesame_smtp_settings_set_rate (settings, 300);
  sesame_campaign_sender_set_settings (sender, settings);

  test.fixture = fixture;
  test.campaign = campaign;
  test.sender = sender;
  test.cancellable = cancellable;
  test.loop = loop;
  g_signal_connect (sender, "notify::sent", G_CALLBACK (on_sent), &test);
  sesame_campaign_sender_run_async (sender, cancellable, on_run_done, &test);
  g_assert_true (sesame_campaign_sender_get_running (sender));
  g_main_loop_run (loop);

  g_assert_true (test.paused_checked);
  g_assert_error (test.error, SESAME_ERROR, SESAME_ERROR_CANCELLED);
  g_clear_error (&test.error);
  g_assert_false (sesame_campaign_sender_get_running (sender));

  found = sesame_campaigns_find (fixture->base.store, sesame_campaign_get_id (campaign), &error);
  g_assert_cmpint (sesame_campaign_get_state (found), ==, SESAME_CAMPAIGN_STATE_CANCELLED);
  waiting = sesame_campaign_get_counts (found)->counts[SESAME_RECIPIENT_WAITING];
  g_assert_cmpuint (waiting, >=, 1);
  g_assert_cmpuint (sesame_test_smtp_server_count (fixture->server), ==, 6 - waiting);

  /* Resumed, it sends the rest, each once. */
  g_clear_object (&sender);
  sender = make_sender (fixture, campaign, SESAME_TEST_SMTP_PASSWORD);
  g_assert_true (sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  received = sesame_test_smtp_server_recipients (fixture->server);
  assert_strv_equal (received, (const char *[]) {
    "eloise.dupont@example.org", "lucie.mairie@example.org", "marie.dupont@example.org",
    "nathalie.dupont@example.net", "yves.autre@example.org", "zoe.martin@example.org", NULL });
}

int
main (int   argc,
      char *argv[])
{
  sesame_test_init (&argc, &argv);
  sesame_mail_init ();

  g_test_add_func ("/sesame/campaign/activation-link", test_campaign_activation_link);
  g_test_add_func ("/sesame/campaign/migrate-v1", test_campaign_migrate_v1);
  g_test_add ("/sesame/campaign/eligible", Fixture, NULL, fixture_set_up, test_campaign_eligible, fixture_tear_down);
  g_test_add ("/sesame/campaign/refusals", Fixture, NULL, fixture_set_up, test_campaign_refusals, fixture_tear_down);
  g_test_add ("/sesame/campaign/send", Fixture, NULL, fixture_set_up, test_campaign_send, fixture_tear_down);
  g_test_add ("/sesame/campaign/one-establishment", Fixture, NULL, fixture_set_up, test_campaign_one_establishment, fixture_tear_down);
  g_test_add ("/sesame/campaign/report-mailed", Fixture, NULL, fixture_set_up, test_campaign_report_mailed, fixture_tear_down);
  g_test_add ("/sesame/campaign/report-leaves-recipients-alone", Fixture, NULL, fixture_set_up,
              test_campaign_report_leaves_recipients_alone, fixture_tear_down);
  g_test_add ("/sesame/campaign/retries", Fixture, NULL, fixture_set_up, test_campaign_retries, fixture_tear_down);
  g_test_add ("/sesame/campaign/server-goes-away", Fixture, NULL, fixture_set_up, test_campaign_server_goes_away, fixture_tear_down);
  g_test_add ("/sesame/campaign/auth-refused", Fixture, NULL, fixture_set_up, test_campaign_auth_refused, fixture_tear_down);
  g_test_add ("/sesame/campaign/crash-recovery", Fixture, NULL, fixture_set_up, test_campaign_crash_recovery, fixture_tear_down);
  g_test_add ("/sesame/campaign/changes-before-turn", Fixture, NULL, fixture_set_up, test_campaign_changes_before_turn, fixture_tear_down);
  g_test_add ("/sesame/campaign/pause-cancel", Fixture, NULL, fixture_set_up, test_campaign_pause_cancel, fixture_tear_down);

  return g_test_run ();
}
