/* sesamectl-notices.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * "sesamectl notices": the operator's copy by email of each password they
 * regenerate. They turn it on or off for themselves, list where their
 * notices stand, and send those still waiting; "account reset-password"
 * sends it right after showing the password, never failing because of it.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"
#include "sesame-notices.h"
#include "sesame-secrets.h"

static const char *
state_token (SesameNoticeState state)
{
  switch (state)
    {
    case SESAME_NOTICE_SENT:
      return "sent";
    case SESAME_NOTICE_FAILED:
      return "failed";
    case SESAME_NOTICE_PENDING:
    default:
      return "pending";
    }
}

static const char *
state_label (SesameNoticeState state)
{
  switch (state)
    {
    case SESAME_NOTICE_SENT:
      return _("sent");
    case SESAME_NOTICE_FAILED:
      return _("failed");
    case SESAME_NOTICE_PENDING:
    default:
      return _("waiting");
    }
}

/* Sends the acting operator's pending notices. */
static gboolean
send_pending (SesameCtl  *ctl,
              guint      *n_sent,
              GError    **error)
{
  g_autoptr(SesameSmtpSettings) settings = NULL;
  char *password = NULL;
  const char *user;
  gboolean ok;

  settings = sesame_smtp_settings_load (ctl->store, error);
  if (settings == NULL)
    return FALSE;
  if (!sesame_smtp_settings_is_configured (settings))
    {
      g_set_error_literal (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("No mail server is set up: the notice waits until an administrator runs “sesamectl smtp set”."));
      return FALSE;
    }
  user = sesame_smtp_settings_get_user (settings);
  if (user[0] != '\0')
    {
      password = sesame_secrets_lookup_smtp_password (sesame_smtp_settings_get_host (settings), user, NULL, error);
      if (password == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                         _("No password of %s on %s is kept in the keyring: the notice waits until it is (“sesamectl smtp set”)."),
                         user, sesame_smtp_settings_get_host (settings));
          return FALSE;
        }
    }
  ok = sesame_notices_send (ctl->store, settings, password, NULL, n_sent, error);
  sesame_secrets_free_password (password);
  return ok;
}

/**
 * sesamectl_send_notices:
 * @ctl: the command line's state
 *
 * After a regeneration: sends the operator's notices if any wait, and
 * only warns on stderr when it cannot.
 */
void
sesamectl_send_notices (SesameCtl *ctl)
{
  g_autoptr(GError) error = NULL;

  if (sesame_notices_count_pending (ctl->store) == 0)
    return;
  if (!send_pending (ctl, NULL, &error))
    g_printerr (_("Warning: %s\n"), error->message);
}

static int
notices_list (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) notices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;

  if (!sesamectl_parse ("notices list", NULL,
                        _("Lists the notices of your regenerated passwords and where each stands."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("notices list", _("Unexpected argument “%s”."), argv[1]);

  notices = sesame_notices_list (ctl->store, &error);
  if (notices == NULL)
    return sesamectl_fail (error);
  address = sesame_notices_dup_operator_address (ctl->store);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "wanted");
      json_builder_add_boolean_value (builder, sesame_notices_get_wanted (ctl->store));
      json_builder_set_member_name (builder, "address");
      json_builder_add_string_value (builder, address ? address : "");
      json_builder_set_member_name (builder, "notices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < notices->len; i++)
        {
          SesameNotice *notice = g_ptr_array_index (notices, i);
          g_autofree char *at = sesamectl_format_time (notice->created_at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "login");
          json_builder_add_string_value (builder, notice->login);
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, at);
          json_builder_set_member_name (builder, "address");
          json_builder_add_string_value (builder, notice->address);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, state_token (notice->state));
          json_builder_set_member_name (builder, "attempts");
          json_builder_add_int_value (builder, notice->attempts);
          json_builder_set_member_name (builder, "error");
          json_builder_add_string_value (builder, notice->last_error ? notice->last_error : "");
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  if (sesame_notices_get_wanted (ctl->store))
    g_print (_("Notices by email: on, to %s\n"), address ? address : "?");
  else
    g_print ("%s\n", _("Notices by email: off"));
  for (guint i = 0; i < notices->len; i++)
    {
      SesameNotice *notice = g_ptr_array_index (notices, i);
      g_autofree char *at = sesamectl_format_local_time (notice->created_at);

      g_print ("%-18s %-28s %-10s %s\n", at, notice->login, state_label (notice->state),
               notice->last_error ? notice->last_error : "");
    }
  return SESAMECTL_EXIT_OK;
}

static int
notices_set (SesameCtl *ctl,
             int        argc,
             char     **argv)
{
  g_autoptr(GError) error = NULL;
  gboolean wanted;

  if (!sesamectl_parse ("notices set", N_("on|off"),
                        _("Turns on or off, for you alone, a notice by email of each password you regenerate. "
                          "The notice never holds the password."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2 || (g_strcmp0 (argv[1], "on") != 0 && g_strcmp0 (argv[1], "off") != 0))
    return sesamectl_usage_error ("notices set", _("Say on or off."));
  wanted = g_str_equal (argv[1], "on");
  if (!sesame_notices_set_wanted (ctl->store, wanted, &error))
    return sesamectl_fail (error);
  return SESAMECTL_EXIT_OK;
}

static int
notices_send (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  g_autoptr(GError) error = NULL;
  guint sent = 0;

  if (!sesamectl_parse ("notices send", NULL,
                        _("Sends your notices still waiting, for instance after the mail server was out of reach."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("notices send", _("Unexpected argument “%s”."), argv[1]);
  if (!send_pending (ctl, &sent, &error))
    return sesamectl_fail (error);
  g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u notice sent.\n", "%u notices sent.\n", sent), sent);
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand notices_subcommands[] = {
  { "list", notices_list, "[--json]", N_("your notices of regenerated passwords and where each stands") },
  { "set", notices_set, "on|off", N_("a notice by email of each password you regenerate, or none") },
  { "send", notices_send, "", N_("send the notices still waiting") },
};

int
sesamectl_cmd_notices (SesameCtl *ctl,
                       int        argc,
                       char     **argv)
{
  return sesamectl_run_subcommand (ctl, "notices", notices_subcommands,
                                   G_N_ELEMENTS (notices_subcommands), argc, argv);
}
