/* bench-smtp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Mail sending speed, against the local SMTP server of the tests
 * (tests/smtp-server.py: STARTTLS and AUTH, as a real relay):
 *  1. messages per second on one connection with no rate limit (target:
 *     at least 100 per second), the client alone;
 *  2. the same through a whole campaign, with every recipient's state and
 *     activation token written to the store before and after its send;
 *  3. proof that a limit of N messages per minute is honoured: the server's
 *     own arrival times, over more than a minute, never hold more than N in
 *     any 60 seconds.
 *
 *   bench-smtp [--messages N] [--rate N] [--rate-seconds S]
 */
#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sesame-accounts-private.h"
#include "sesame-campaign.h"
#include "sesame-campaign-sender.h"
#include "sesame-campaigns.h"
#include "sesame-mail-message.h"
#include "sesame-smtp-client.h"
#include "sesame-store-private.h"
#include "sesame-test-smtp.h"
#include "sesame-test-util.h"

static int messages = 1000;
static int rate = 120;
static int rate_seconds = 65;

static GOptionEntry entries[] = {
  { "messages", 0, 0, G_OPTION_ARG_INT, &messages, "Messages sent in the speed runs (1000)", "N" },
  { "rate", 0, 0, G_OPTION_ARG_INT, &rate, "The limit to prove, in messages per minute (120)", "N" },
  { "rate-seconds", 0, 0, G_OPTION_ARG_INT, &rate_seconds, "How long the limit is watched (65)", "S" },
  { NULL }
};

static SesameTestSmtpServer *
start_server (void)
{
  return sesame_test_smtp_server_start ("--user", SESAME_TEST_SMTP_USER,
                                        "--password", SESAME_TEST_SMTP_PASSWORD, NULL);
}

static GBytes *
diffusion_message (SesameSmtpSettings *settings,
                   const char         *to,
                   guint               i)
{
  g_autofree char *login = g_strdup_printf ("eleve%05u.quatrieme", i);
  SesameDiffusionText text = {
    .display_name = "Élève QUATRIÈME",
    .ent_name = "Mon ENT 74",
    .login = login,
    .link = "https://ent.example.org/auth?activation=Qm9uam91ciBsZXMgZW5mYW50cyBkZSBsYSBwYXRyaWUK",
    .free_text = "Réunion d'information pour les familles le 12 septembre à 18 h en salle polyvalente.",
    .establishment_name = "Collège Les Aravis",
    .ent_url = "https://ent.example.org/auth",
  };
  g_autofree char *body = sesame_mail_compose_diffusion_text (&text);
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  message = sesame_mail_message_new (sesame_smtp_settings_get_from_name (settings),
                                     sesame_smtp_settings_get_from_address (settings),
                                     "Élève QUATRIÈME", to, "Collège Les Aravis - vos identifiants de connexion",
                                     body, SESAME_MAIL_FLAGS_HTML, NULL, &error);
  g_assert_no_error (error);
  return sesame_mail_message_to_bytes (message);
}

static void
bench_client (void)
{
  g_autoptr(SesameTestSmtpServer) server = start_server ();
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (server);
  g_autoptr(SesameSmtpClient) client = sesame_smtp_client_new (settings, SESAME_TEST_SMTP_PASSWORD);
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  gint64 start, elapsed;
  gsize size = 0;

  sesame_smtp_client_set_ca_file (client, server->cert);
  for (int i = 0; i < messages; i++)
    {
      g_autofree char *to = g_strdup_printf ("eleve%05d@example.org", i);
      GBytes *bytes = diffusion_message (settings, to, i);

      size += g_bytes_get_size (bytes);
      g_ptr_array_add (bodies, bytes);
    }

  start = g_get_monotonic_time ();
  for (int i = 0; i < messages; i++)
    {
      g_autofree char *to = g_strdup_printf ("eleve%05d@example.org", i);
      g_autoptr(GError) error = NULL;

      if (!sesame_smtp_client_send (client, to, g_ptr_array_index (bodies, i), NULL, &error))
        g_error ("Sending failed: %s", error->message);
    }
  elapsed = g_get_monotonic_time () - start;
  sesame_smtp_client_disconnect (client);

  g_assert_cmpuint (sesame_test_smtp_server_count (server), ==, (guint) messages);
  g_print ("client: %d messages (%.1f KiB each, STARTTLS + AUTH) in %.2f s on %u connection(s): %.0f messages/s (target: at least 100)\n",
           messages, size / 1024.0 / messages, elapsed / 1e6,
           sesame_smtp_client_get_connections (client), messages / (elapsed / 1e6));
}

static void
bench_campaign (void)
{
  g_autoptr(SesameTestSmtpServer) server = start_server ();
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (server);
  g_autofree char *dir = sesame_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "store.db", NULL);
  g_autoptr(SesameStore) store = NULL;
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(SesameCampaignSender) sender = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  store = sesame_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (_sesame_store_begin (store, &error));
  g_assert_true (_sesame_store_exec (store,
                                     "INSERT INTO establishments (jointure, uai, name, street, postal_code, city, first_seen_at)"
                                     " VALUES ('52006', '0740017S', 'Collège Les Aravis', '12 route des Aravis', '74220', 'La Clusaz', 0)",
                                     &error));
  for (int i = 0; i < messages; i++)
    {
      g_autofree char *key = g_strdup_printf ("B%05d", i);
      g_autofree char *first = g_strdup_printf ("Élève%05d", i);
      g_autofree char *sql = g_strdup_printf ("INSERT INTO persons (key, kind, profile, last_name, first_name, structure, email, first_seen_at)"
                                              " VALUES ('%s', 'Eleve', 1, 'Quatrième', '%s', '52006', 'eleve%05d@example.org', 0)",
                                              key, first, i);

      g_assert_true (_sesame_store_exec (store, sql, &error));
      g_assert_true (_sesame_accounts_create (store, NULL, key, SESAME_PROFILE_ELEVE, first, "Quatrième", NULL, &error));
    }
  g_assert_true (_sesame_store_commit (store, &error));
  g_assert_true (sesame_store_settings_set (store, SESAME_SETTING_ENT_URL, "https://ent.example.org/auth", &error));
  g_assert_no_error (error);

  sesame_campaign_set_profiles (campaign, SESAME_PROFILE_BIT (SESAME_PROFILE_ELEVE));
  sesame_campaign_set_subject (campaign, "Collège Les Aravis - vos identifiants de connexion");
  g_assert_true (sesame_campaigns_create (store, campaign, &error));
  g_assert_no_error (error);

  sender = sesame_campaign_sender_new (store, sesame_campaign_get_id (campaign));
  sesame_campaign_sender_set_settings (sender, settings);
  sesame_campaign_sender_set_password (sender, SESAME_TEST_SMTP_PASSWORD);
  sesame_campaign_sender_set_ca_file (sender, server->cert);
  start = g_get_monotonic_time ();
  if (!sesame_campaign_sender_run (sender, NULL, NULL, NULL, &error))
    g_error ("The campaign failed: %s", error->message);
  elapsed = g_get_monotonic_time () - start;

  g_assert_cmpuint (sesame_campaign_sender_get_sent (sender), ==, (guint) messages);
  g_print ("campaign: %d messages with their state and token in the store (synchronous = FULL) in %.2f s: %.0f messages/s\n",
           messages, elapsed / 1e6, messages / (elapsed / 1e6));

  g_clear_object (&sender);
  g_clear_object (&store);
  sesame_test_remove_tree (dir);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* The most arrivals in any half-open window of @width seconds. */
static guint
max_in_window (GArray *times,
               double  width)
{
  guint best = 0;

  for (guint i = 0, j = 0; i < times->len; i++)
    {
      while (g_array_index (times, double, i) - g_array_index (times, double, j) >= width)
        j++;
      best = MAX (best, i - j + 1);
    }
  return best;
}

static void
bench_rate (void)
{
  g_autoptr(SesameTestSmtpServer) server = start_server ();
  g_autoptr(SesameSmtpSettings) settings = sesame_test_smtp_server_settings (server);
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) log = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  double min_gap = G_MAXDOUBLE, span;
  gint64 deadline;
  guint sent = 0, in_minute;

  sesame_smtp_settings_set_rate (settings, rate);
  client = sesame_smtp_client_new (settings, SESAME_TEST_SMTP_PASSWORD);
  sesame_smtp_client_set_ca_file (client, server->cert);
  bytes = diffusion_message (settings, "eleve@example.org", 0);

  deadline = g_get_monotonic_time () + (gint64) rate_seconds * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;

      if (!sesame_smtp_client_send (client, "eleve@example.org", bytes, NULL, &error))
        g_error ("Sending failed: %s", error->message);
      sent++;
    }
  sesame_smtp_client_disconnect (client);

  /* The server's own clock says when each message arrived. */
  log = sesame_test_smtp_server_read_log (server);
  for (guint i = 0; i < log->len; i++)
    {
      double t = json_object_get_double_member (g_ptr_array_index (log, i), "time");
      g_array_append_val (times, t);
    }
  g_array_sort (times, compare_doubles);
  for (guint i = 1; i < times->len; i++)
    min_gap = MIN (min_gap, g_array_index (times, double, i) - g_array_index (times, double, i - 1));
  span = g_array_index (times, double, times->len - 1) - g_array_index (times, double, 0);
  in_minute = max_in_window (times, 60.0);

  g_print ("rate limit %d/min: %u messages over %.1f s (%.1f/min on average), at most %u in any 60 s window, "
           "at most %u in any %.1f s, smallest gap %.3f s (limit spacing %.3f s): %s\n",
           rate, sent, span, (sent - 1) / span * 60.0, in_minute,
           max_in_window (times, 60.0 / rate * 10), 60.0 / rate * 10, min_gap, 60.0 / rate,
           in_minute <= (guint) rate ? "honoured" : "EXCEEDED");
  if (in_minute > (guint) rate)
    exit (1);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, entries, NULL);
  setlocale (LC_ALL, "");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (messages < 1 || rate < 1 || rate_seconds < 1)
    {
      g_printerr ("--messages, --rate and --rate-seconds must be positive\n");
      return 2;
    }

  sesame_mail_init ();
  bench_client ();
  bench_campaign ();
  bench_rate ();
  return 0;
}
