/* sesamectl-audit.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

int
sesamectl_cmd_audit (SesameCtl *ctl,
                     int        argc,
                     char     **argv)
{
  gboolean json = FALSE;
  gboolean mine = FALSE;
  int limit = 100;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N entries, newest first (default 100)"), N_("N") },
    { "mine", 0, 0, G_OPTION_ARG_NONE, &mine, N_("Only what I did (my history)"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) entries_list = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("audit", NULL,
                        _("Shows the audit trail: who did what, to whom, and when. Passwords are never recorded."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (limit <= 0)
    return sesamectl_usage_error ("audit", _("--limit must be positive."));

  entries_list = sesame_audit_list (ctl->store, mine, limit, &error);
  if (entries_list == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < entries_list->len; i++)
        {
          SesameAuditEntry *entry = g_ptr_array_index (entries_list, i);
          g_autofree char *at = sesamectl_format_time (entry->at);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "at");
          json_builder_add_string_value (builder, at);
          json_builder_set_member_name (builder, "operator");
          json_builder_add_string_value (builder, entry->operator);
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, entry->action);
          json_builder_set_member_name (builder, "target");
          json_builder_add_string_value (builder, entry->target);
          json_builder_set_member_name (builder, "detail");
          json_builder_add_string_value (builder, entry->detail);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  for (guint i = 0; i < entries_list->len; i++)
    {
      SesameAuditEntry *entry = g_ptr_array_index (entries_list, i);
      g_autofree char *at = sesamectl_format_local_time (entry->at);
      g_autofree char *what = sesame_journal_describe_entry (NULL, entry);

      g_print ("%s  ", at);
      sesamectl_print_row ((const guint[]) { 20 }, 2, entry->operator, what);
    }
  return SESAMECTL_EXIT_OK;
}
