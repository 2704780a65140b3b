/* sesamectl-desks.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl desks: on the server's store, the desks that may join it. An
 * administrator adds one and hands its one-time code to whoever sets the
 * desk up, lists them, and revokes one that was lost or given away.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

static int
desks_add (SesameCtl *ctl,
           int        argc,
           char     **argv)
{
  gboolean json = FALSE;
  g_auto(GStrv) establishments = NULL;
  GOptionEntry entries[] = {
    { "establishment", 0, 0, G_OPTION_ARG_STRING_ARRAY, &establishments,
      N_("An establishment the desk serves (repeat; default: all of the store)"), N_("UAI") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameSyncDesk) desk = NULL;
  g_autoptr(char_secret) code = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("desks add", N_("NAME"),
                        _("Adds a desk and prints its one-time code, valid 24 hours: give it to “sesamectl join” on the desk."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("desks add", _("Give the desk's name, e.g. “Secrétariat”."));

  desk = sesame_sync_desks_add (ctl->store, argv[1], (const char * const *) establishments, &code, &error);
  if (desk == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, desk->name);
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, code);
      sesamectl_json_add_time (builder, "expires_at", desk->code_expires_at);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      g_autofree char *expires = sesamectl_format_local_time (desk->code_expires_at);

      g_print (_("Code for desk “%s”, valid once until %s:"), desk->name, expires);
      g_print ("\n%s\n", code);
    }
  return SESAMECTL_EXIT_OK;
}

static const char *
desk_state (const SesameSyncDesk *desk,
            gint64                now)
{
  if (desk->revoked_at != 0)
    return "revoked";
  if (desk->enrolled_at != 0)
    return "enrolled";
  if (desk->code_expires_at <= now)
    return "expired";
  return "waiting";
}

static const char *
desk_state_label (const char *state)
{
  if (g_str_equal (state, "revoked"))
    return _("revoked");
  if (g_str_equal (state, "enrolled"))
    return _("enrolled");
  if (g_str_equal (state, "expired"))
    return _("code expired");
  return _("waiting for its code");
}

static int
desks_list (SesameCtl *ctl,
            int        argc,
            char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) desks = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now;

  if (!sesamectl_parse ("desks list", NULL, _("The desks of this server: enrolled, waiting for their code, or revoked."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;

  desks = sesame_sync_desks_list (ctl->store, &error);
  if (desks == NULL)
    return sesamectl_fail (error);
  now = sesame_store_now (ctl->store);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < desks->len; i++)
        {
          SesameSyncDesk *desk = g_ptr_array_index (desks, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, desk->name);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, desk->id);
          json_builder_set_member_name (builder, "state");
          json_builder_add_string_value (builder, desk_state (desk, now));
          json_builder_set_member_name (builder, "establishments");
          json_builder_begin_array (builder);
          for (guint j = 0; desk->establishments[j] != NULL; j++)
            json_builder_add_string_value (builder, desk->establishments[j]);
          json_builder_end_array (builder);
          sesamectl_json_add_time (builder, "created_at", desk->created_at);
          json_builder_set_member_name (builder, "created_by");
          json_builder_add_string_value (builder, desk->created_by);
          sesamectl_json_add_time (builder, "code_expires_at", desk->code_expires_at);
          sesamectl_json_add_time (builder, "enrolled_at", desk->enrolled_at);
          sesamectl_json_add_time (builder, "revoked_at", desk->revoked_at);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  if (desks->len == 0)
    {
      g_print ("%s\n", _("No desk yet: “sesamectl desks add NAME” adds one."));
      return SESAMECTL_EXIT_OK;
    }
  for (guint i = 0; i < desks->len; i++)
    {
      SesameSyncDesk *desk = g_ptr_array_index (desks, i);
      g_autofree char *uais = desk->establishments[0] != NULL ? g_strjoinv (" ", desk->establishments)
                                                               : g_strdup (_("all establishments"));

      sesamectl_print_row ((const guint[]) { 20, 22 }, 3, desk->name,
                           desk_state_label (desk_state (desk, now)), uais);
    }
  return SESAMECTL_EXIT_OK;
}

static int
desks_revoke (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("desks revoke", N_("NAME"),
                        _("Revokes a desk: the server refuses its next request, and every one after."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("desks revoke", _("Give the desk's name, as “sesamectl desks list” shows it."));
  if (!sesame_sync_desks_revoke (ctl->store, argv[1], &error))
    return sesamectl_fail (error);
  g_print (_("Desk “%s” revoked."), argv[1]);
  g_print ("\n");
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand desks_subcommands[] = {
  { "add", desks_add, "NAME [--establishment UAI]… [--json]", N_("Add a desk; prints its one-time code (24 h)") },
  { "list", desks_list, "[--json]", N_("List the desks") },
  { "revoke", desks_revoke, "NAME", N_("Revoke a desk: refused from now on") },
};

int
sesamectl_cmd_desks (SesameCtl *ctl,
                     int        argc,
                     char     **argv)
{
  return sesamectl_run_subcommand (ctl, "desks", desks_subcommands, G_N_ELEMENTS (desks_subcommands), argc, argv);
}
