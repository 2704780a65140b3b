/* sesamectl-operator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The operators who sign in, from the command line: the first
 * administrator sets up the store, administrators invite colleagues with a
 * one-time enrolment code, and each operator sets their passphrase with it.
 * Secrets come on stdin (without echo on a terminal), never as arguments,
 * which other users of the computer could read in the process list.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sesamectl.h"

/* Reads the passphrase twice; NULL with a message when they differ or
 * input ends. */
static char *
read_new_passphrase (const char *login,
                     int        *status)
{
  g_autoptr(char_secret) first = NULL;
  g_autoptr(char_secret) second = NULL;
  g_autofree char *prompt = g_strdup_printf (_("New operator passphrase for %s (at least %d characters): "),
                                             login, SESAME_OPERATOR_PASSPHRASE_MIN_LENGTH);

  first = sesamectl_read_secret (prompt);
  second = first != NULL ? sesamectl_read_secret (_("The same passphrase again: ")) : NULL;
  if (first == NULL || second == NULL)
    {
      g_printerr ("sesamectl: %s\n", _("Give the new passphrase twice, one per line, on stdin."));
      *status = SESAMECTL_EXIT_USAGE;
      return NULL;
    }
  if (!g_str_equal (first, second))
    {
      g_printerr ("sesamectl: %s\n", _("The two passphrases differ: type the same one twice."));
      *status = SESAMECTL_EXIT_REFUSED;
      return NULL;
    }
  return g_steal_pointer (&first);
}

static void
print_enrolment (const SesameEnrolment *enrolment)
{
  g_autofree char *until = sesamectl_format_local_time (enrolment->expires_at);

  g_print (_("Enrolment code for %s (%s): %s\n"), enrolment->login, enrolment->name, enrolment->code);
  g_print (_("Valid until %s, once. Hand it over in person; %s sets their passphrase with “sesamectl operator enrol %s” or on the sign-in page of Sésame.\n"),
           until, enrolment->login, enrolment->login);
}

static int
operator_setup (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  g_autoptr(char_secret) passphrase = NULL;
  g_autoptr(GError) error = NULL;
  int status = SESAMECTL_EXIT_OK;

  if (!sesamectl_parse ("operator setup", N_("LOGIN"),
                        _("Names the first administrator of a new store, who chooses their operator passphrase at once "
                          "(twice on stdin, one per line). Only the owner of the store file, and only while nobody can sign in yet."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("operator setup", _("Name one login."));

  if (sesame_operators_exist (ctl->store))
    {
      g_set_error_literal (&error, SESAME_ERROR, SESAME_ERROR_REFUSED,
                           _("This store is already set up: sign in, or ask one of its administrators for an enrolment code."));
      return sesamectl_fail (error);
    }
  passphrase = read_new_passphrase (argv[1], &status);
  if (passphrase == NULL)
    return status;
  if (!sesame_operators_set_up (ctl->store, argv[1], passphrase, &error))
    return sesamectl_fail (error);
  g_printerr (_("%s is the administrator of this store and signs in with their passphrase (sesamectl --as %s …).\n"),
              sesame_store_operator_get_login (ctl->store), sesame_store_operator_get_login (ctl->store));
  return SESAMECTL_EXIT_OK;
}

static int
operator_enrol (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  g_autoptr(char_secret) code = NULL;
  g_autoptr(char_secret) passphrase = NULL;
  g_autoptr(GError) error = NULL;
  int status = SESAMECTL_EXIT_OK;
  gint64 wait;

  if (!sesamectl_parse ("operator enrol", N_("LOGIN"),
                        _("Sets your operator passphrase with the enrolment code an administrator gave you: "
                          "the code, then the passphrase twice, one per line on stdin."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("operator enrol", _("Name one login."));

  /* No use typing a passphrase that would be refused unread. */
  wait = sesame_operators_get_sign_in_wait (ctl->store, argv[1]);
  if (wait == 0)
    code = sesamectl_read_secret (_("Enrolment code: "));
  if (wait == 0 && code == NULL)
    {
      g_printerr ("sesamectl: %s\n", _("Give the enrolment code, then the new passphrase twice, one per line, on stdin."));
      return SESAMECTL_EXIT_USAGE;
    }
  if (wait == 0)
    {
      passphrase = read_new_passphrase (argv[1], &status);
      if (passphrase == NULL)
        return status;
    }
  if (!sesame_enrolment_enrol (ctl->store, argv[1], code, passphrase, &error))
    return sesamectl_fail (error);
  g_printerr (_("Your operator passphrase is set: sign in with it (sesamectl --as %s …).\n"), argv[1]);
  return SESAMECTL_EXIT_OK;
}

static int
operator_invite (SesameCtl *ctl,
                 int        argc,
                 char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameEnrolment) enrolment = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("operator invite", N_("LOGIN"),
                        _("Makes a new one-time enrolment code, valid 7 days, for a head of establishment, an administrator "
                          "or an identifier manager: to set a first passphrase or replace a forgotten one. "
                          "The previous code stops working."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("operator invite", _("Name one login."));

  enrolment = sesame_enrolment_invite_operator (ctl->store, argv[1], &error);
  if (enrolment == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *expires = sesamectl_format_time (enrolment->expires_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "login");
      json_builder_add_string_value (builder, enrolment->login);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, enrolment->code);
      json_builder_set_member_name (builder, "expires_at");
      json_builder_add_string_value (builder, expires);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  print_enrolment (enrolment);
  return SESAMECTL_EXIT_OK;
}

static int
operator_list (SesameCtl *ctl,
               int        argc,
               char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) operators = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("operator list", NULL,
                        _("The operators: who has a passphrase, who has an enrolment code waiting (never the code), "
                          "and when each last signed in."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 1)
    return sesamectl_usage_error ("operator list", _("This command takes no argument."));

  operators = sesame_operators_list (ctl->store, &error);
  if (operators == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < operators->len; i++)
        {
          SesameOperatorInfo *info = g_ptr_array_index (operators, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "login");
          json_builder_add_string_value (builder, info->login);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, info->name);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, info->role);
          json_builder_set_member_name (builder, "passphrase");
          json_builder_add_boolean_value (builder, info->has_passphrase);
          sesamectl_json_add_time (builder, "passphrase_set_at", info->passphrase_set_at);
          json_builder_set_member_name (builder, "code_pending");
          json_builder_add_boolean_value (builder, info->code_pending);
          sesamectl_json_add_time (builder, "code_expires_at", info->code_expires_at);
          sesamectl_json_add_time (builder, "last_sign_in_at", info->last_sign_in_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  for (guint i = 0; i < operators->len; i++)
    {
      SesameOperatorInfo *info = g_ptr_array_index (operators, i);
      g_autofree char *last = sesamectl_format_local_time (info->last_sign_in_at);
      g_autofree char *state = NULL;

      if (info->has_passphrase)
        state = g_strdup (_("passphrase set"));
      else
        state = g_strdup (_("no passphrase"));
      if (info->code_pending)
        {
          g_autofree char *until = sesamectl_format_local_time (info->code_expires_at);
          g_autofree char *with_code = g_strdup_printf (_("%s, code waiting until %s"), state, until);

          g_free (state);
          state = g_steal_pointer (&with_code);
        }
      sesamectl_print_row ((const guint[]) { 24, 26, 26, 44 }, 5, info->login, info->name,
                           *info->role != '\0' ? sesame_role_to_label (info->role) : _("no role"),
                           state, last);
    }
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand operator_subcommands[] = {
  { "setup", operator_setup, "LOGIN", N_("name the first administrator of a new store (passphrase twice on stdin)") },
  { "enrol", operator_enrol, "LOGIN", N_("set your passphrase with an enrolment code (code, passphrase twice on stdin)") },
  { "invite", operator_invite, "LOGIN [--json]", N_("make a new enrolment code, valid 7 days") },
  { "list", operator_list, "[--json]", N_("who has a passphrase, a code waiting, and their last sign-in") },
};

int
sesamectl_cmd_operator (SesameCtl *ctl,
                        int        argc,
                        char     **argv)
{
  return sesamectl_run_subcommand (ctl, "operator", operator_subcommands,
                                   G_N_ELEMENTS (operator_subcommands), argc, argv);
}
