/* sesamectl-smtp.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl smtp set|show|test: the mail server. Its password is read from
 * standard input and goes to the keyring only.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "sesame-mail-message.h"
#include "sesame-secrets.h"
#include "sesame-smtp-client.h"
#include "sesame-smtp-settings.h"
#include "sesamectl.h"

/* Errors from the mail server are refusals (exit 1); the rest maps as usual. */
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

static int
smtp_set (SesameCtl *ctl,
          int        argc,
          char     **argv)
{
  g_autofree char *host = NULL;
  g_autofree char *security_text = NULL;
  g_autofree char *user = NULL;
  g_autofree char *from = NULL;
  g_autofree char *from_name = NULL;
  int port = 0;
  int rate = -1;
  gboolean no_password = FALSE;
  GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("The mail server, e.g. smtp.ac-grenoble.fr"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("Its port (default: 587 for STARTTLS, 465 for TLS, 25 without)"), N_("PORT") },
    { "security", 0, 0, G_OPTION_ARG_STRING, &security_text, N_("starttls (default), tls, or none (this computer only)"), N_("SECURITY") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user, N_("The user name on the server; its password is read from standard input"), N_("USER") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from, N_("The sender address"), N_("ADDRESS") },
    { "from-name", 0, 0, G_OPTION_ARG_STRING, &from_name, N_("The sender name, e.g. the establishment"), N_("NAME") },
    { "rate", 0, 0, G_OPTION_ARG_INT, &rate, N_("At most this many messages per minute (0: no limit; default 60)"), N_("N") },
    { "no-password", 0, 0, G_OPTION_ARG_NONE, &no_password, N_("Keep the password already in the keyring"), NULL },
    { NULL }
  };
  g_autoptr(SesameSmtpSettings) old = NULL;
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  SesameSmtpSecurity security = SESAME_SMTP_SECURITY_STARTTLS;
  char *password = NULL;

  if (!sesamectl_parse ("smtp set", NULL,
                        _("Sets the mail server used to send identifiers, for every desk of the store. "
                          "The password is read from standard input (one line) and kept in the keyring of your session, nowhere else."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("smtp set", _("Unexpected argument “%s”."), argv[1]);
  if (host == NULL || from == NULL)
    return sesamectl_usage_error ("smtp set", _("--host and --from are required."));
  if (security_text != NULL && !sesame_smtp_security_from_token (security_text, &security))
    return sesamectl_usage_error ("smtp set", _("“%s” is not a security: write starttls, tls or none."), security_text);
  if (port < 0 || port > 65535)
    return sesamectl_usage_error ("smtp set", _("The port must be between 1 and 65535."));
  if (rate < -1 || rate > SESAME_SMTP_MAX_RATE)
    return sesamectl_usage_error ("smtp set", _("The rate must be between 0 and %u messages per minute."), SESAME_SMTP_MAX_RATE);

  old = sesame_smtp_settings_load (ctl->store, &error);
  if (old == NULL)
    return sesamectl_fail (error);

  settings = sesame_smtp_settings_new ();
  sesame_smtp_settings_set_host (settings, host);
  sesame_smtp_settings_set_security (settings, security);
  sesame_smtp_settings_set_port (settings, port > 0 ? (guint) port : sesame_smtp_security_default_port (security));
  sesame_smtp_settings_set_user (settings, user);
  sesame_smtp_settings_set_from_address (settings, from);
  sesame_smtp_settings_set_from_name (settings, from_name);
  sesame_smtp_settings_set_rate (settings, rate >= 0 ? (guint) rate : sesame_smtp_settings_get_rate (old));

  /* Refused early, before the keyring is touched. */
  if (!sesame_store_operator_check_permission (ctl->store, SESAME_PERMISSION_MANAGE_STORE, NULL, &error) ||
      !sesame_smtp_settings_validate (settings, &error))
    return sesamectl_fail (error);

  if (sesame_smtp_settings_get_user (settings)[0] != '\0' && !no_password)
    {
      if (isatty (STDIN_FILENO))
        g_printerr (_("Password of %s on %s: "), sesame_smtp_settings_get_user (settings), host);
      password = sesamectl_read_line ();
      if (password == NULL || password[0] == '\0')
        {
          sesame_secrets_free_password (password);
          return sesamectl_usage_error ("smtp set", _("Give the password of the mail server on standard input, or --no-password to keep the one in the keyring."));
        }
      if (!sesame_secrets_store_smtp_password (sesame_smtp_settings_get_host (settings),
                                               sesame_smtp_settings_get_user (settings),
                                               password, NULL, &error))
        {
          sesame_secrets_free_password (password);
          return sesamectl_fail (error);
        }
      sesame_secrets_free_password (password);
    }

  if (!sesame_smtp_settings_save (settings, ctl->store, &error))
    return sesamectl_fail (error);

  /* A password for a server or user no longer used is forgotten. */
  if (sesame_smtp_settings_is_configured (old) && sesame_smtp_settings_get_user (old)[0] != '\0' &&
      (g_strcmp0 (sesame_smtp_settings_get_host (old), sesame_smtp_settings_get_host (settings)) != 0 ||
       g_strcmp0 (sesame_smtp_settings_get_user (old), sesame_smtp_settings_get_user (settings)) != 0))
    sesame_secrets_clear_smtp_password (sesame_smtp_settings_get_host (old),
                                        sesame_smtp_settings_get_user (old), NULL, NULL);

  g_printerr (_("Mail server set: %s, port %u, %s.\n"), sesame_smtp_settings_get_host (settings),
              sesame_smtp_settings_get_port (settings),
              sesame_smtp_security_to_token (sesame_smtp_settings_get_security (settings)));
  return SESAMECTL_EXIT_OK;
}

static int
smtp_show (SesameCtl *ctl,
           int        argc,
           char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) keyring_error = NULL;
  g_autofree char *ent_url = NULL;
  g_autofree char *ent_name = NULL;
  gboolean has_password = FALSE;
  const char *user;

  if (!sesamectl_parse ("smtp show", NULL, _("Shows the mail server settings (never the password)."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("smtp show", _("Unexpected argument “%s”."), argv[1]);
  /* The mail server and its account are for operators' eyes. */
  if (!sesame_store_operator_check_permission (ctl->store, SESAME_PERMISSION_OPERATE, NULL, &error))
    return sesamectl_fail (error);

  settings = sesame_smtp_settings_load (ctl->store, &error);
  if (settings == NULL)
    return sesamectl_fail (error);
  user = sesame_smtp_settings_get_user (settings);
  if (sesame_smtp_settings_is_configured (settings) && user[0] != '\0')
    {
      char *password = sesame_secrets_lookup_smtp_password (sesame_smtp_settings_get_host (settings), user,
                                                            NULL, &keyring_error);
      has_password = password != NULL;
      sesame_secrets_free_password (password);
    }
  ent_url = sesame_store_settings_dup (ctl->store, SESAME_SETTING_ENT_URL, "");
  ent_name = sesame_store_settings_dup (ctl->store, SESAME_SETTING_ENT_NAME, "");

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "configured");
      json_builder_add_boolean_value (builder, sesame_smtp_settings_is_configured (settings));
      json_builder_set_member_name (builder, "host");
      json_builder_add_string_value (builder, sesame_smtp_settings_get_host (settings));
      json_builder_set_member_name (builder, "port");
      json_builder_add_int_value (builder, sesame_smtp_settings_get_port (settings));
      json_builder_set_member_name (builder, "security");
      json_builder_add_string_value (builder, sesame_smtp_security_to_token (sesame_smtp_settings_get_security (settings)));
      json_builder_set_member_name (builder, "user");
      json_builder_add_string_value (builder, user);
      json_builder_set_member_name (builder, "from");
      json_builder_add_string_value (builder, sesame_smtp_settings_get_from_address (settings));
      json_builder_set_member_name (builder, "from_name");
      json_builder_add_string_value (builder, sesame_smtp_settings_get_from_name (settings));
      json_builder_set_member_name (builder, "rate");
      json_builder_add_int_value (builder, sesame_smtp_settings_get_rate (settings));
      json_builder_set_member_name (builder, "password_in_keyring");
      json_builder_add_boolean_value (builder, has_password);
      json_builder_set_member_name (builder, "ent_url");
      json_builder_add_string_value (builder, ent_url);
      json_builder_set_member_name (builder, "ent_name");
      json_builder_add_string_value (builder, ent_name);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  if (!sesame_smtp_settings_is_configured (settings))
    {
      g_printerr ("%s\n", _("No mail server is set up: run “sesamectl smtp set”."));
      return SESAMECTL_EXIT_OK;
    }
  g_print (_("Server:    %s, port %u, %s\n"), sesame_smtp_settings_get_host (settings),
           sesame_smtp_settings_get_port (settings),
           sesame_smtp_security_to_token (sesame_smtp_settings_get_security (settings)));
  g_print (_("User:      %s (%s)\n"), user[0] ? user : "—",
           has_password ? _("password in the keyring") : _("no password in the keyring"));
  if (sesame_smtp_settings_get_from_name (settings)[0] != '\0')
    g_print (_("Sender:    %s <%s>\n"), sesame_smtp_settings_get_from_name (settings),
             sesame_smtp_settings_get_from_address (settings));
  else
    g_print (_("Sender:    %s\n"), sesame_smtp_settings_get_from_address (settings));
  if (sesame_smtp_settings_get_rate (settings) > 0)
    g_print (_("Rate:      %u messages per minute at most\n"), sesame_smtp_settings_get_rate (settings));
  else
    g_print (_("Rate:      no limit\n"));
  g_print (_("ENT:       %s %s\n"), ent_name, ent_url[0] ? ent_url : _("(no address: set it with “sesamectl settings set ent-url URL”)"));
  if (keyring_error != NULL)
    g_printerr ("sesamectl: %s\n", keyring_error->message);
  return SESAMECTL_EXIT_OK;
}

static int
smtp_test (SesameCtl *ctl,
           int        argc,
           char     **argv)
{
  g_autofree char *to = NULL;
  GOptionEntry entries[] = {
    { "to", 0, 0, G_OPTION_ARG_STRING, &to, N_("Where to send the test message"), N_("ADDRESS") },
    { NULL }
  };
  g_autoptr(SesameSmtpSettings) settings = NULL;
  g_autoptr(SesameSmtpClient) client = NULL;
  g_autoptr(GMimeMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  const char *user;
  char *password = NULL;

  if (!sesamectl_parse ("smtp test", NULL,
                        _("Sends a test message through the mail server and reports its answer."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("smtp test", _("Unexpected argument “%s”."), argv[1]);
  if (to == NULL)
    return sesamectl_usage_error ("smtp test", _("--to is required."));
  if (!sesame_mail_address_is_valid (to))
    return sesamectl_usage_error ("smtp test", _("“%s” is not a valid email address."), to);

  if (!sesame_store_operator_check_permission (ctl->store, SESAME_PERMISSION_SEND_MAIL, NULL, &error))
    return sesamectl_fail (error);
  settings = sesame_smtp_settings_load (ctl->store, &error);
  if (settings == NULL)
    return sesamectl_fail (error);
  if (!sesame_smtp_settings_is_configured (settings))
    {
      g_printerr ("sesamectl: %s\n", _("No mail server is set up: run “sesamectl smtp set” first."));
      return SESAMECTL_EXIT_REFUSED;
    }

  user = sesame_smtp_settings_get_user (settings);
  if (user[0] != '\0')
    {
      password = sesame_secrets_lookup_smtp_password (sesame_smtp_settings_get_host (settings), user, NULL, &error);
      if (error != NULL)
        return sesamectl_fail (error);
      if (password == NULL)
        {
          g_printerr (_("sesamectl: No password of %s on %s is kept in the keyring: run “sesamectl smtp set” again.\n"),
                      user, sesame_smtp_settings_get_host (settings));
          return SESAMECTL_EXIT_REFUSED;
        }
    }

  client = sesame_smtp_client_new (settings, password);
  sesame_secrets_free_password (password);
  message = sesame_smtp_client_new_test_message (client, to, &error);
  if (message == NULL)
    return sesamectl_fail (error);
  if (!sesame_smtp_client_send_message (client, message, NULL, &error))
    return fail_mail (error);

  g_print (_("The test message to %s was accepted: %s\n"), to, sesame_smtp_client_get_last_reply (client));
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand smtp_subcommands[] = {
  { "set", smtp_set,
    "--host H --from ADDRESS [--security S] [--user U] [OPTION…]",
    N_("set the mail server; its password is read from standard input") },
  { "show", smtp_show, "[--json]", N_("show the mail server settings") },
  { "test", smtp_test, "--to ADDRESS", N_("send a test message") },
};

int
sesamectl_cmd_smtp (SesameCtl *ctl,
                    int        argc,
                    char     **argv)
{
  return sesamectl_run_subcommand (ctl, "smtp", smtp_subcommands, G_N_ELEMENTS (smtp_subcommands), argc, argv);
}
