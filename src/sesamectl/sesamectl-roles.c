/* sesamectl-roles.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

static int
roles_list (SesameCtl *ctl,
            int        argc,
            char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) grants = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("roles list", NULL, _("The table of rights: user, role, scope, granted by, when."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;

  grants = sesame_roles_list (ctl->store, &error);
  if (grants == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < grants->len; i++)
        {
          SesameRoleGrant *grant = g_ptr_array_index (grants, i);
          g_autofree char *at = sesamectl_format_time (grant->granted_at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "login");
          json_builder_add_string_value (builder, grant->login);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, grant->name);
          json_builder_set_member_name (builder, "role");
          json_builder_add_string_value (builder, grant->role);
          json_builder_set_member_name (builder, "scope");
          json_builder_add_string_value (builder, sesame_role_scope_to_token (grant->scope));
          json_builder_set_member_name (builder, "granted_by");
          json_builder_add_string_value (builder, grant->granted_by);
          json_builder_set_member_name (builder, "granted_at");
          json_builder_add_string_value (builder, at);
          /* A role ends when its holder leaves the directory. */
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, grant->ended_at != 0 ? "ended" : "held");
          if (grant->ended_at != 0)
            {
              g_autofree char *ended = sesamectl_format_time (grant->ended_at);
              g_autofree char *reason = sesame_role_grant_dup_status (grant);

              json_builder_set_member_name (builder, "ended_at");
              json_builder_add_string_value (builder, ended);
              json_builder_set_member_name (builder, "ended_reason");
              json_builder_add_string_value (builder, reason);
            }
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  for (guint i = 0; i < grants->len; i++)
    {
      SesameRoleGrant *grant = g_ptr_array_index (grants, i);
      g_autofree char *at = sesamectl_format_local_time (grant->granted_at);
      g_autofree char *status = sesame_role_grant_dup_status (grant);

      sesamectl_print_row ((const guint[]) { 24, 26, 28, 44, 20, 20 }, 7, grant->login, grant->name,
                           sesame_role_to_label (grant->role), sesame_role_scope_to_label (grant->scope),
                           grant->granted_by, at, status);
    }
  return SESAMECTL_EXIT_OK;
}

static int
roles_grant (SesameCtl *ctl,
             int        argc,
             char     **argv)
{
  g_autofree char *scope_text = NULL;
  g_autofree char *role = NULL;
  GOptionEntry entries[] = {
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope_text,
      N_("establishment (default) or classes; for an administrator, establishment or all"), N_("SCOPE") },
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("manager (default) or admin"), N_("ROLE") },
    { NULL }
  };
  SesameRoleScope scope = SESAME_ROLE_SCOPE_ESTABLISHMENT;
  g_autoptr(SesameEnrolment) enrolment = NULL;
  gboolean admin;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("roles grant", N_("LOGIN"),
                        _("Grants the identifier manager role to a member of staff, for the whole establishment or the pupils of their classes and their guardians; or, with --role admin, makes them an administrator of their establishment or of all. "
                          "Unless they already have an operator passphrase, prints the one-time enrolment code with which they set it."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("roles grant", _("Name one login."));
  if (role != NULL && g_strcmp0 (role, "manager") != 0 && g_strcmp0 (role, "admin") != 0)
    return sesamectl_usage_error ("roles grant", _("Unknown role “%s”: use manager or admin."), role);
  admin = g_strcmp0 (role, "admin") == 0;
  if (scope_text != NULL &&
      (!sesame_role_scope_from_token (scope_text, &scope) ||
       (admin && scope == SESAME_ROLE_SCOPE_CLASSES) || (!admin && scope == SESAME_ROLE_SCOPE_ALL)))
    return sesamectl_usage_error ("roles grant",
                                  admin ? _("Unknown scope “%s”: use establishment or all.")
                                        : _("Unknown scope “%s”: use establishment or classes."),
                                  scope_text);

  if (admin)
    {
      if (!sesame_enrolment_grant_admin (ctl->store, argv[1], scope, &enrolment, &error))
        return sesamectl_fail (error);
      g_printerr (_("%s is now an administrator (%s).\n"), argv[1], sesame_role_scope_to_label (scope));
    }
  else if (!sesame_enrolment_grant_role (ctl->store, argv[1], scope, &enrolment, &error))
    return sesamectl_fail (error);
  else
    g_printerr (_("%s is now an identifier manager (%s).\n"), argv[1], sesame_role_scope_to_label (scope));
  if (enrolment != NULL)
    {
      g_autofree char *until = sesamectl_format_local_time (enrolment->expires_at);

      g_print (_("Enrolment code for %s (%s): %s\n"), enrolment->login, enrolment->name, enrolment->code);
      g_print (_("Valid until %s, once. Hand it over in person; %s sets their passphrase with “sesamectl operator enrol %s” or on the sign-in page of Sésame.\n"),
               until, enrolment->login, enrolment->login);
    }
  return SESAMECTL_EXIT_OK;
}

static int
roles_revoke (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  g_autofree char *role = NULL;
  GOptionEntry entries[] = {
    { "role", 0, 0, G_OPTION_ARG_STRING, &role, N_("manager (default) or admin"), N_("ROLE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("roles revoke", N_("LOGIN"), _("Revokes the identifier manager role, or with --role admin an administrator role."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("roles revoke", _("Name one login."));
  if (role != NULL && g_strcmp0 (role, "manager") != 0 && g_strcmp0 (role, "admin") != 0)
    return sesamectl_usage_error ("roles revoke", _("Unknown role “%s”: use manager or admin."), role);

  if (g_strcmp0 (role, "admin") == 0)
    {
      if (!sesame_roles_revoke_admin (ctl->store, argv[1], &error))
        return sesamectl_fail (error);
      g_printerr (_("%s is no longer an administrator.\n"), argv[1]);
      return SESAMECTL_EXIT_OK;
    }
  if (!sesame_roles_revoke (ctl->store, argv[1], &error))
    return sesamectl_fail (error);
  g_printerr (_("%s is no longer an identifier manager.\n"), argv[1]);
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand roles_subcommands[] = {
  { "list", roles_list, "[--json]", N_("the table of rights") },
  { "grant", roles_grant, "LOGIN [--scope establishment|classes] [--role admin --scope establishment|all]",
    N_("grant the identifier manager or administrator role") },
  { "revoke", roles_revoke, "LOGIN [--role admin]", N_("revoke it") },
};

int
sesamectl_cmd_roles (SesameCtl *ctl,
                     int        argc,
                     char     **argv)
{
  return sesamectl_run_subcommand (ctl, "roles", roles_subcommands, G_N_ELEMENTS (roles_subcommands), argc, argv);
}
