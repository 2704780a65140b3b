/* sesamectl-account.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "sesame-passwords.h"
#include "sesamectl.h"

static void
print_field (const char *label,
             const char *value)
{
  if (value != NULL && *value != '\0')
    sesamectl_print_row ((const guint[]) { 26 }, 2, label, value);
}

static int
account_show (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesamePerson) person = NULL;
  g_autoptr(GListModel) relatives = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *created = NULL;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  guint n_relatives;

  if (!sesamectl_parse ("account show", N_("LOGIN"), _("Shows an account: identity, login, profile, classes, state and sign-ins."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("account show", _("Name one login."));

  person = sesame_accounts_find (ctl->store, argv[1], &error);
  if (person == NULL)
    return sesamectl_fail (error);
  relatives = sesame_accounts_list_relatives (ctl->store, sesame_person_get_key (person), NULL);
  n_relatives = relatives ? g_list_model_get_n_items (relatives) : 0;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      created = sesamectl_format_time (sesame_person_get_account_created_at (person));
      first = sesamectl_format_time (sesame_person_get_first_sign_in_at (person));
      last = sesamectl_format_time (sesame_person_get_last_sign_in_at (person));

      json_builder_begin_object (builder);
      sesamectl_add_person_members (builder, person);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, sesame_person_get_field (person, SESAME_PERSON_TITLE));
      json_builder_set_member_name (builder, "birth_date");
      json_builder_add_string_value (builder, sesame_person_get_field (person, SESAME_PERSON_BIRTH_DATE));
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, sesame_person_get_field (person, SESAME_PERSON_EMAIL));
      json_builder_set_member_name (builder, "distributable");
      json_builder_add_boolean_value (builder, sesame_person_is_distributable (person));
      json_builder_set_member_name (builder, "must_change_password");
      json_builder_add_boolean_value (builder, sesame_person_get_must_change_password (person));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "first_sign_in_at");
      first ? json_builder_add_string_value (builder, first) : json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "last_sign_in_at");
      last ? json_builder_add_string_value (builder, last) : json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "relatives");
      json_builder_begin_array (builder);
      for (guint i = 0; i < n_relatives; i++)
        {
          g_autoptr(SesamePerson) relative = g_list_model_get_item (relatives, i);

          json_builder_begin_object (builder);
          sesamectl_add_person_members (builder, relative);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  {
    g_autofree char *name = sesame_person_dup_display_name (person);
    g_autofree char *classes = sesame_person_dup_classes_label (person);
    g_autofree char *establishment = g_strdup_printf ("%s %s", sesame_person_get_establishment (person),
                                                      sesame_person_get_field (person, SESAME_PERSON_ESTABLISHMENT_NAME));

    created = sesamectl_format_local_time (sesame_person_get_account_created_at (person));
    first = sesamectl_format_local_time (sesame_person_get_first_sign_in_at (person));
    last = sesamectl_format_local_time (sesame_person_get_last_sign_in_at (person));

    print_field (_("Name:"), name);
    print_field (_("Login:"), sesame_person_get_login (person));
    print_field (_("Profile:"), sesame_profile_to_label (sesame_person_get_profile (person)));
    print_field (_("State:"), sesame_account_state_to_label (sesame_person_get_state (person)));
    print_field (_("Establishment:"), g_strstrip (establishment));
    print_field (_("Classes:"), classes);
    print_field (_("Directory key:"), sesame_person_get_key (person));
    print_field (_("Email:"), sesame_person_get_field (person, SESAME_PERSON_EMAIL));
    print_field (_("Account created:"), created);
    print_field (_("First sign-in:"), first);
    print_field (_("Last sign-in:"), last);
    if (!sesame_person_is_distributable (person))
      g_print ("%s\n", _("Academy staff: their credentials come from the academy and are never handed out by Sésame."));
    else if (sesame_person_get_must_change_password (person))
      g_print ("%s\n", _("The password must be changed at the next sign-in."));
    for (guint i = 0; i < n_relatives; i++)
      {
        g_autoptr(SesamePerson) relative = g_list_model_get_item (relatives, i);
        g_autofree char *relative_name = sesame_person_dup_display_name (relative);
        /* A relative outside the operator's reach comes without a login. */
        g_autofree char *line = *sesame_person_get_login (relative) != '\0'
                                ? g_strdup_printf ("%s (%s)", relative_name, sesame_person_get_login (relative))
                                : g_strdup_printf (_("%s (outside your scope)"), relative_name);

        print_field (sesame_person_get_profile (person) == SESAME_PROFILE_ELEVE ? _("Guardian:") : _("Child:"), line);
      }
  }
  return SESAMECTL_EXIT_OK;
}

static int
account_set_login (SesameCtl *ctl,
                   int        argc,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("account set-login", N_("LOGIN NEW_LOGIN"),
                        _("Changes a login; the old one stops working at once."), NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 3)
    return sesamectl_usage_error ("account set-login", _("Give the current login and the new one."));

  if (!sesame_accounts_set_login (ctl->store, argv[1], argv[2], &error))
    return sesamectl_fail (error);
  g_printerr (_("The login %s is now %s.\n"), argv[1], argv[2]);
  return SESAMECTL_EXIT_OK;
}

static int
account_reset_password (SesameCtl *ctl,
                        int        argc,
                        char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(char_secret) password = NULL;

  if (!sesamectl_parse ("account reset-password", N_("LOGIN"),
                        _("Regenerates the password and prints it once; it must be changed at the next sign-in."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("account reset-password", _("Name one login."));

  password = sesame_accounts_reset_password (ctl->store, argv[1], &error);
  if (password == NULL)
    return sesamectl_fail (error);
  g_print ("%s\n", password);
  g_printerr (_("New password for %s, shown once: it must be changed at the next sign-in.\n"), argv[1]);
  sesamectl_send_notices (ctl);
  return SESAMECTL_EXIT_OK;
}

static int
account_authenticate (SesameCtl *ctl,
                      int        argc,
                      char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(char_secret) password = NULL;
  SesameAuthResult result;

  if (!sesamectl_parse ("account authenticate", N_("LOGIN"),
                        _("Checks a sign-in, as the ENT would: the password is read from standard input. Exit status 0 if accepted, 1 if refused."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("account authenticate", _("Name one login."));

  password = sesamectl_read_line ();
  if (password == NULL)
    return sesamectl_usage_error ("account authenticate", _("Give the password on standard input."));

  result = sesame_passwords_authenticate (ctl->store, argv[1], password, &error);
  if (error != NULL)
    return sesamectl_fail (error);

  switch (result)
    {
    case SESAME_AUTH_ACCEPTED:
      g_print ("%s\n", _("accepted"));
      return SESAMECTL_EXIT_OK;
    case SESAME_AUTH_MUST_CHANGE:
      g_print ("%s\n", _("accepted: the password must be changed now"));
      return SESAMECTL_EXIT_OK;
    case SESAME_AUTH_REFUSED:
    default:
      g_print ("%s\n", _("refused"));
      return SESAMECTL_EXIT_REFUSED;
    }
}

static int
account_change_password (SesameCtl *ctl,
                         int        argc,
                         char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(char_secret) old_password = NULL;
  g_autoptr(char_secret) new_password = NULL;

  if (!sesamectl_parse ("account change-password", N_("LOGIN"),
                        _("Changes a password: the current one and the new one are read from standard input, one per line."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("account change-password", _("Name one login."));

  old_password = sesamectl_read_line ();
  new_password = sesamectl_read_line ();
  if (old_password == NULL || new_password == NULL)
    return sesamectl_usage_error ("account change-password",
                                  _("Give the current password and the new one on standard input, one per line."));

  if (!sesame_passwords_change (ctl->store, argv[1], old_password, new_password, &error))
    return sesamectl_fail (error);
  g_printerr (_("Password changed.\n"));
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand account_subcommands[] = {
  { "show", account_show, "LOGIN [--json]", N_("show an account") },
  { "set-login", account_set_login, "LOGIN NEW_LOGIN", N_("change a login") },
  { "reset-password", account_reset_password, "LOGIN", N_("regenerate the password and print it once") },
  { "authenticate", account_authenticate, "LOGIN", N_("check a password read on standard input") },
  { "change-password", account_change_password, "LOGIN", N_("change a password (current and new on standard input)") },
};

int
sesamectl_cmd_account (SesameCtl *ctl,
                       int        argc,
                       char     **argv)
{
  return sesamectl_run_subcommand (ctl, "account", account_subcommands, G_N_ELEMENTS (account_subcommands), argc, argv);
}
