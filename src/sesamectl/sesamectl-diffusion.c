/* sesamectl-diffusion.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl diffusion: the Diffusion des identifiants by email. A campaign
 * is recorded before anything is sent; interrupted (Ctrl+C, a crash, the
 * server gone), it resumes with "diffusion resume" and never sends a
 * message twice. On a desk joined to a server, the server records and
 * sends the campaign with its own mail server; the desk follows it and
 * shows the report the sync brings.
 */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <unistd.h>

#include "sesame-campaign.h"
#include "sesame-campaign-message.h"
#include "sesame-campaign-report.h"
#include "sesame-campaign-sender.h"
#include "sesame-campaigns.h"
#include "sesame-smtp-client.h"
#include "sesamectl.h"

static int
fail_mail (const GError *error)
{
  if (error->domain == SESAME_SMTP_ERROR)
    {
      g_printerr ("sesamectl: %s\n", error->message);
      return SESAMECTL_EXIT_REFUSED;
    }
  return sesamectl_fail (error);
}

static void
add_counts_members (JsonBuilder                *builder,
                    const SesameCampaignCounts *counts)
{
  json_builder_set_member_name (builder, "total");
  json_builder_add_int_value (builder, counts->total);
  for (SesameRecipientState s = SESAME_RECIPIENT_WAITING; s < SESAME_N_RECIPIENT_STATES; s++)
    {
      g_autofree char *name = g_strdelimit (g_strdup (sesame_campaign_recipient_state_to_token (s)), "-", '_');

      json_builder_set_member_name (builder, name);
      json_builder_add_int_value (builder, counts->counts[s]);
    }
}

static void
add_campaign (JsonBuilder    *builder,
              SesameCampaign *campaign)
{
  const char * const *classes = sesame_campaign_get_classes (campaign);
  guint profiles = sesame_campaign_get_profiles (campaign);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, sesame_campaign_get_id (campaign));
  json_builder_set_member_name (builder, "subject");
  json_builder_add_string_value (builder, sesame_campaign_get_subject (campaign));
  json_builder_set_member_name (builder, "profiles");
  json_builder_begin_array (builder);
  for (SesameProfile p = SESAME_PROFILE_ELEVE; p < SESAME_N_PROFILES; p++)
    if (profiles & SESAME_PROFILE_BIT (p))
      json_builder_add_string_value (builder, sesame_profile_to_token (p));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "classes");
  json_builder_begin_array (builder);
  for (guint i = 0; classes[i] != NULL; i++)
    json_builder_add_string_value (builder, classes[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "establishment");
  json_builder_add_string_value (builder, sesame_campaign_get_establishment (campaign));
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder, sesame_campaign_state_to_token (sesame_campaign_get_state (campaign)));
  json_builder_set_member_name (builder, "operator");
  json_builder_add_string_value (builder, sesame_campaign_get_operator (campaign));
  sesamectl_json_add_time (builder, "created_at", sesame_campaign_get_created_at (campaign));
  sesamectl_json_add_time (builder, "started_at", sesame_campaign_get_started_at (campaign));
  sesamectl_json_add_time (builder, "finished_at", sesame_campaign_get_finished_at (campaign));
  sesamectl_json_add_time (builder, "report_mailed_at", sesame_campaign_get_report_sent_at (campaign));
  json_builder_set_member_name (builder, "last_error");
  json_builder_add_string_value (builder, sesame_campaign_get_last_error (campaign));
  json_builder_set_member_name (builder, "counts");
  json_builder_begin_object (builder);
  add_counts_members (builder, sesame_campaign_get_counts (campaign));
  json_builder_end_object (builder);
}

static void
print_counts (const SesameCampaignCounts *c)
{
  g_print (_("  sent %u, failed %u, waiting %u, without an address %u"),
           c->counts[SESAME_RECIPIENT_SENT], c->counts[SESAME_RECIPIENT_FAILED],
           c->counts[SESAME_RECIPIENT_WAITING] + c->counts[SESAME_RECIPIENT_SENDING],
           c->counts[SESAME_RECIPIENT_NO_ADDRESS]);
  if (c->counts[SESAME_RECIPIENT_UNCERTAIN] > 0)
    g_print (_(", interrupted (perhaps delivered) %u"), c->counts[SESAME_RECIPIENT_UNCERTAIN]);
  if (c->counts[SESAME_RECIPIENT_SKIPPED] > 0)
    g_print (_(", skipped %u"), c->counts[SESAME_RECIPIENT_SKIPPED]);
  g_print ("\n");
}

static void
print_campaign (SesameCampaign *campaign)
{
  g_autofree char *profiles = sesame_campaign_dup_profiles_label (campaign);
  g_autofree char *created = sesamectl_format_local_time (sesame_campaign_get_created_at (campaign));
  g_autofree char *classes = g_strjoinv (", ", (char **) sesame_campaign_get_classes (campaign));

  g_print ("%s  %s  %s\n", sesame_campaign_get_id (campaign),
           sesame_campaign_state_to_label (sesame_campaign_get_state (campaign)),
           sesame_campaign_get_subject (campaign));
  g_print (_("  %s, by %s — %s%s%s\n"), created, sesame_campaign_get_operator (campaign),
           profiles, classes[0] ? " — " : "", classes);
  print_counts (sesame_campaign_get_counts (campaign));
  if (sesame_campaign_get_last_error (campaign)[0] != '\0')
    g_print ("  %s\n", sesame_campaign_get_last_error (campaign));
}

typedef struct
{
  GMainLoop    *loop;
  GCancellable *cancellable;
  GError       *error;
  gboolean      tty;
} RunState;

static gboolean
on_signal (gpointer user_data)
{
  RunState *state = user_data;

  g_printerr ("\n%s\n", _("Stopping after the message in progress…"));
  g_cancellable_cancel (state->cancellable);
  return G_SOURCE_CONTINUE;
}

static void
on_progress (SesameCampaignSender *sender,
             GParamSpec           *pspec,
             RunState             *state)
{
  if (!state->tty)
    return;
  g_printerr ("\r");
  g_printerr (_("Sent %u, failed %u, remaining %u…"), sesame_campaign_sender_get_sent (sender),
              sesame_campaign_sender_get_failed (sender), sesame_campaign_sender_get_remaining (sender));
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  RunState *state = user_data;

  sesame_campaign_sender_run_finish (SESAME_CAMPAIGN_SENDER (source), result, &state->error);
  g_main_loop_quit (state->loop);
}

static int print_outcome (SesameCtl  *ctl,
                          const char *id,
                          gboolean    json,
                          int         status);

/* Sends or resumes a campaign, Ctrl+C stopping it between two messages. */
static int
run_campaign (SesameCtl  *ctl,
              const char *id,
              gboolean    resend_uncertain,
              gboolean    mail_report,
              gboolean    json)
{
  g_autoptr(SesameCampaignSender) sender = sesame_campaign_sender_new (ctl->store, id);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  RunState state = { loop, cancellable, NULL, isatty (STDERR_FILENO) };
  guint sigint, sigterm;
  int status = SESAMECTL_EXIT_OK;

  sesame_campaign_sender_set_resend_uncertain (sender, resend_uncertain);
  sesame_campaign_sender_set_mail_report (sender, mail_report);
  g_signal_connect (sender, "notify::sent", G_CALLBACK (on_progress), &state);
  g_signal_connect (sender, "notify::failed", G_CALLBACK (on_progress), &state);
  sigint = g_unix_signal_add (SIGINT, on_signal, &state);
  sigterm = g_unix_signal_add (SIGTERM, on_signal, &state);

  sesame_campaign_sender_run_async (sender, cancellable, on_done, &state);
  g_main_loop_run (loop);
  g_source_remove (sigint);
  g_source_remove (sigterm);
  if (state.tty)
    g_printerr ("\n");

  if (state.error != NULL)
    {
      status = fail_mail (state.error);
      g_clear_error (&state.error);
    }
  if (sesame_campaign_sender_get_report_error (sender) != NULL)
    g_printerr ("sesamectl: %s\n", sesame_campaign_sender_get_report_error (sender));
  return print_outcome (ctl, id, json, status);
}

/* Where the campaign stands, once its run is over. */
static int
print_outcome (SesameCtl  *ctl,
               const char *id,
               gboolean    json,
               int         status)
{
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  campaign = sesame_campaigns_find (ctl->store, id, &error);
  if (campaign == NULL)
    return sesamectl_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_campaign (builder, campaign);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      const SesameCampaignCounts *c = sesame_campaign_get_counts (campaign);

      g_printerr (_("Campaign %s: %s — sent %u, failed %u, waiting %u, without an address %u.\n"),
                  id, sesame_campaign_state_to_label (sesame_campaign_get_state (campaign)),
                  c->counts[SESAME_RECIPIENT_SENT], c->counts[SESAME_RECIPIENT_FAILED],
                  c->counts[SESAME_RECIPIENT_WAITING], c->counts[SESAME_RECIPIENT_NO_ADDRESS]);
      if (c->counts[SESAME_RECIPIENT_UNCERTAIN] > 0)
        g_printerr (g_dngettext (GETTEXT_PACKAGE,
                                 "%u message was cut off after the server had it: it may have arrived. “sesamectl diffusion resume %s --resend-uncertain” sends it again.\n",
                                 "%u messages were cut off after the server had them: they may have arrived. “sesamectl diffusion resume %s --resend-uncertain” sends them again.\n",
                                 c->counts[SESAME_RECIPIENT_UNCERTAIN]),
                    c->counts[SESAME_RECIPIENT_UNCERTAIN], id);
      if (sesame_campaign_get_state (campaign) != SESAME_CAMPAIGN_STATE_FINISHED)
        g_printerr (_("Resume it with “sesamectl diffusion resume %s”.\n"), id);
    }
  return status;
}

static char *
remote_line (const SesameSyncJobProgress *progress)
{
  if (progress->message[0] == '\0')
    return NULL;
  if (g_str_equal (progress->phase, "sync") || g_str_equal (progress->phase, "waiting"))
    return g_strdup (progress->message);
  /* TRANSLATORS: progress of a campaign the server sends, on a
   * terminal; %s is the server's word ("Sent 3, failed 0, remaining 27") */
  return g_strdup_printf (_("Sending on the server… %s"), progress->message);
}

/* A desk joined to a server: the server sends, the desk follows; Ctrl+C
 * stops the campaign on the server. */
static int
run_on_server (SesameCtl      *ctl,
               SesameCampaign *campaign,
               const char     *resume_id,
               gboolean        resend_uncertain,
               gboolean        mail_report,
               gboolean        json)
{
  g_auto(SesameCtlJob) job = { 0 };
  g_autoptr(SesameSyncJobProgress) progress = NULL;
  g_autoptr(SesameCampaign) local = NULL;
  g_autoptr(GError) error = NULL;
  SesameSyncCampaignFlags flags = SESAME_SYNC_CAMPAIGN_FLAGS_NONE;
  const char *id;
  int status = SESAMECTL_EXIT_OK;

  if (resend_uncertain)
    flags |= SESAME_SYNC_CAMPAIGN_FLAGS_RESEND_UNCERTAIN;
  if (mail_report)
    flags |= SESAME_SYNC_CAMPAIGN_FLAGS_MAIL_REPORT;
  sesamectl_job_init (&job, remote_line, _("Stopping the campaign on the server after the message in progress…"));
  sesame_sync_jobs_run_campaign_async (ctl->store, campaign, resume_id, flags, sesamectl_job_progress, &job, NULL,
                                       job.cancellable, sesamectl_job_done, &job);
  progress = sesame_sync_jobs_run_campaign_finish (ctl->store, sesamectl_job_wait (&job), &error);
  if (progress == NULL)
    return sesamectl_job_fail (error, _("On a desk, email campaigns are sent by the server: try again once it "
                                        "answers. Everything else (search, logins, passwords, slips and letters) "
                                        "works without it."));

  if (progress->state != SESAME_SYNC_JOB_DONE)
    {
      g_printerr ("sesamectl: %s\n", progress->message);
      status = SESAMECTL_EXIT_REFUSED;
    }
  id = sesame_sync_job_progress_get_campaign_id (progress);
  if (id == NULL)
    return status;
  /* The sync round that brings it may have failed: the next one will. */
  local = sesame_campaigns_find (ctl->store, id, NULL);
  if (local == NULL)
    {
      g_printerr (_("Campaign %s: %s — this desk will show its report after its next sync.\n"), id, progress->message);
      return status;
    }
  return print_outcome (ctl, id, json, status);
}

static gboolean
parse_profiles (char  **tokens,
                guint  *profiles)
{
  *profiles = 0;
  for (guint i = 0; tokens != NULL && tokens[i] != NULL; i++)
    {
      g_auto(GStrv) parts = g_strsplit (tokens[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        {
          SesameProfile profile = sesame_profile_from_token (g_strstrip (parts[j]));

          if (profile == SESAME_PROFILE_NONE)
            {
              sesamectl_usage_error ("diffusion send",
                                     _("“%s” is not a profile: write eleve, parent, enseignant, non-enseignant, autre or collectivite."),
                                     parts[j]);
              return FALSE;
            }
          *profiles |= SESAME_PROFILE_BIT (profile);
        }
    }
  return TRUE;
}

static int
diffusion_send (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  g_auto(GStrv) profile_tokens = NULL;
  g_auto(GStrv) classes = NULL;
  g_autofree char *uai = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *text_file = NULL;
  gboolean dry_run = FALSE;
  gboolean json = FALSE;
  gboolean no_report = FALSE;
  GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_STRING_ARRAY, &profile_tokens, N_("A profile to send to (repeat for several): eleve, parent, autre, collectivite"), N_("PROFILE") },
    { "class", 0, 0, G_OPTION_ARG_STRING_ARRAY, &classes, N_("Only this class (repeat for several); parents through their children"), N_("CLASS") },
    { "establishment", 0, 0, G_OPTION_ARG_STRING, &uai, N_("Only this establishment"), N_("UAI") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("The subject (default: “<Establishment> - your login details”), 75 characters at most"), N_("SUBJECT") },
    { "text-file", 0, 0, G_OPTION_ARG_FILENAME, &text_file, N_("Your own words, added to the fixed text (600 characters at most)"), N_("FILE") },
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Count the recipients and show one message, without sending"), NULL },
    { "no-report-mail", 0, 0, G_OPTION_ARG_NONE, &no_report, N_("Do not mail the send report to yourself at the end"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameCampaign) campaign = sesame_campaign_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *free_text = NULL;
  guint profiles = 0, with = 0, without = 0;

  if (!sesamectl_parse ("diffusion send", NULL,
                        _("Sends their login by email to the accounts that never signed in, with a link to set their password within 60 days. "
                          "Accounts without an address are listed for paper letters."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("diffusion send", _("Unexpected argument “%s”."), argv[1]);
  if (profile_tokens == NULL)
    return sesamectl_usage_error ("diffusion send", _("--profile is required."));
  if (!parse_profiles (profile_tokens, &profiles))
    return SESAMECTL_EXIT_USAGE;

  if (text_file != NULL)
    {
      if (!g_file_get_contents (text_file, &free_text, NULL, &error))
        return sesamectl_fail (error);
      g_strchomp (free_text);
    }

  sesame_campaign_set_profiles (campaign, profiles);
  sesame_campaign_set_classes (campaign, (const char * const *) classes);
  sesame_campaign_set_establishment (campaign, uai);
  sesame_campaign_set_free_text (campaign, free_text);
  if (subject == NULL)
    subject = sesame_campaign_message_dup_default_subject (ctl->store, campaign);
  sesame_campaign_set_subject (campaign, subject);

  if (!sesame_campaigns_check (ctl->store, campaign, &error) ||
      !sesame_campaigns_count (ctl->store, campaign, &with, &without, &error))
    {
      if (text_file != NULL && g_error_matches (error, SESAME_ERROR, SESAME_ERROR_INVALID))
        g_prefix_error (&error, "%s: ", text_file);
      return sesamectl_fail (error);
    }

  if (dry_run)
    {
      g_autofree char *to = NULL;
      g_autofree char *preview = sesame_campaign_message_preview (ctl->store, campaign, &to, &error);

      if (preview == NULL && !g_error_matches (error, SESAME_ERROR, SESAME_ERROR_NOT_FOUND))
        return sesamectl_fail (error);
      if (json)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) root = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "subject");
          json_builder_add_string_value (builder, subject);
          json_builder_set_member_name (builder, "with_address");
          json_builder_add_int_value (builder, with);
          json_builder_set_member_name (builder, "without_address");
          json_builder_add_int_value (builder, without);
          json_builder_set_member_name (builder, "preview_to");
          json_builder_add_string_value (builder, to ? to : "");
          json_builder_set_member_name (builder, "preview");
          json_builder_add_string_value (builder, preview ? preview : "");
          json_builder_end_object (builder);
          root = json_builder_get_root (builder);
          sesamectl_print_json (root);
        }
      else
        {
          g_print (g_dngettext (GETTEXT_PACKAGE, "%u account will receive the message", "%u accounts will receive the message", with), with);
          g_print (g_dngettext (GETTEXT_PACKAGE, "; %u has no address.\n", "; %u have no address.\n", without), without);
          if (preview != NULL)
            g_print (_("\nTo: %s\nSubject: %s\n\n%s"), to, subject, preview);
        }
      return SESAMECTL_EXIT_OK;
    }

  if (sesame_sync_desk_is_joined (ctl->store))
    {
      g_printerr (_("Sending through the server: %u to send, %u without an address.\n"), with, without);
      return run_on_server (ctl, campaign, NULL, FALSE, !no_report, json);
    }
  if (!sesame_campaigns_create (ctl->store, campaign, &error))
    return sesamectl_fail (error);
  g_printerr (_("Campaign %s: %u to send, %u without an address.\n"), sesame_campaign_get_id (campaign), with, without);
  return run_campaign (ctl, sesame_campaign_get_id (campaign), FALSE, !no_report, json);
}

static int
diffusion_resume (SesameCtl *ctl,
                  int        argc,
                  char     **argv)
{
  gboolean resend = FALSE;
  gboolean json = FALSE;
  gboolean no_report = FALSE;
  GOptionEntry entries[] = {
    { "resend-uncertain", 0, 0, G_OPTION_ARG_NONE, &resend, N_("Also send again the messages cut off after the server had them (they may arrive twice)"), NULL },
    { "no-report-mail", 0, 0, G_OPTION_ARG_NONE, &no_report, N_("Do not mail the send report to yourself at the end"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("diffusion resume", N_("ID"),
                        _("Sends what a stopped campaign has left, never twice to the same person."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("diffusion resume", _("Name one campaign by its id."));

  campaign = sesame_campaigns_find (ctl->store, argv[1], &error);
  if (campaign == NULL)
    return sesamectl_fail (error);
  if (sesame_sync_desk_is_joined (ctl->store))
    return run_on_server (ctl, NULL, argv[1], resend, !no_report, json);
  return run_campaign (ctl, argv[1], resend, !no_report, json);
}

static int
diffusion_list (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) campaigns = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("diffusion list", NULL, _("Lists the email campaigns, newest first."), entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("diffusion list", _("Unexpected argument “%s”."), argv[1]);

  campaigns = sesame_campaigns_list (ctl->store, &error);
  if (campaigns == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < campaigns->len; i++)
        {
          add_campaign (builder, g_ptr_array_index (campaigns, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  if (campaigns->len == 0)
    g_printerr ("%s\n", _("No email campaign yet: run “sesamectl diffusion send”."));
  for (guint i = 0; i < campaigns->len; i++)
    print_campaign (g_ptr_array_index (campaigns, i));
  return SESAMECTL_EXIT_OK;
}

static int
diffusion_show (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON, with every recipient"), NULL },
    { NULL }
  };
  g_autoptr(SesameCampaign) campaign = NULL;
  g_autoptr(GPtrArray) recipients = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("diffusion show", N_("ID"), _("Shows a campaign and where each recipient stands."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("diffusion show", _("Name one campaign by its id."));

  campaign = sesame_campaigns_find (ctl->store, argv[1], &error);
  if (campaign == NULL)
    return sesamectl_fail (error);
  recipients = sesame_campaigns_list_recipients (ctl->store, argv[1], &error);
  if (recipients == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      add_campaign (builder, campaign);
      json_builder_set_member_name (builder, "free_text");
      json_builder_add_string_value (builder, sesame_campaign_get_free_text (campaign));
      json_builder_set_member_name (builder, "recipients");
      json_builder_begin_array (builder);
      for (guint i = 0; i < recipients->len; i++)
        {
          SesameCampaignRecipient *r = g_ptr_array_index (recipients, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "login");
          json_builder_add_string_value (builder, r->login);
          json_builder_set_member_name (builder, "last_name");
          json_builder_add_string_value (builder, r->last_name);
          json_builder_set_member_name (builder, "first_name");
          json_builder_add_string_value (builder, r->first_name);
          json_builder_set_member_name (builder, "profile");
          json_builder_add_string_value (builder, sesame_profile_to_token (r->profile));
          json_builder_set_member_name (builder, "address");
          json_builder_add_string_value (builder, r->address);
          json_builder_set_member_name (builder, "establishment");
          json_builder_add_string_value (builder, r->establishment);
          json_builder_set_member_name (builder, "classes");
          json_builder_add_string_value (builder, r->classes);
          json_builder_set_member_name (builder, "key");
          json_builder_add_string_value (builder, r->person_key);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, sesame_campaign_recipient_state_to_token (r->state));
          json_builder_set_member_name (builder, "attempts");
          json_builder_add_int_value (builder, r->attempts);
          json_builder_set_member_name (builder, "reply");
          json_builder_add_string_value (builder, r->reply);
          sesamectl_json_add_time (builder, "at", r->sent_at ? r->sent_at : r->changed_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  print_campaign (campaign);
  g_print ("\n");
  for (guint i = 0; i < recipients->len; i++)
    {
      SesameCampaignRecipient *r = g_ptr_array_index (recipients, i);

      sesamectl_print_row ((const guint[]) { 24, 12, 32 }, 4, r->login, sesame_campaign_recipient_state_to_label (r->state),
                           r->address[0] ? r->address : "—", r->reply);
    }
  return SESAMECTL_EXIT_OK;
}

static int
diffusion_export (SesameCtl  *ctl,
                  int         argc,
                  char      **argv,
                  const char *command,
                  gboolean    without_address)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the CSV file"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (!sesamectl_parse (command, N_("ID"),
                        without_address
                          ? _("Writes the accounts the campaign could not write to (CSV), for their paper letters.")
                          : _("Writes the send report of a campaign (CSV): login, name, profile, address, state, the server's reply and the time."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error (command, _("Name one campaign by its id."));
  if (output == NULL)
    return sesamectl_usage_error (command, _("--output is required."));

  ok = without_address
    ? sesame_campaign_report_export_without_address (ctl->store, argv[1], output, &error)
    : sesame_campaign_report_export (ctl->store, argv[1], output, &error);
  if (!ok)
    return sesamectl_fail (error);
  g_printerr (_("Written to %s.\n"), output);
  return SESAMECTL_EXIT_OK;
}

static int
diffusion_report (SesameCtl *ctl,
                  int        argc,
                  char     **argv)
{
  return diffusion_export (ctl, argc, argv, "diffusion report", FALSE);
}

static int
diffusion_without_email (SesameCtl *ctl,
                         int        argc,
                         char     **argv)
{
  return diffusion_export (ctl, argc, argv, "diffusion without-email", TRUE);
}

static const SesameCtlSubcommand diffusion_subcommands[] = {
  { "send", diffusion_send,
    "--profile P… [--class C…] [--subject S] [--text-file F] [--dry-run]",
    N_("send logins by email to accounts that never signed in") },
  { "list", diffusion_list, "[--json]", N_("list the campaigns") },
  { "show", diffusion_show, "ID [--json]", N_("show a campaign and its recipients") },
  { "resume", diffusion_resume, "ID [--resend-uncertain] [--json]", N_("send what a stopped campaign has left") },
  { "report", diffusion_report, "ID --output F.csv", N_("write the send report") },
  { "without-email", diffusion_without_email, "ID --output F.csv", N_("write the accounts without an address") },
};

int
sesamectl_cmd_diffusion (SesameCtl *ctl,
                         int        argc,
                         char     **argv)
{
  return sesamectl_run_subcommand (ctl, "diffusion", diffusion_subcommands,
                                   G_N_ELEMENTS (diffusion_subcommands), argc, argv);
}
