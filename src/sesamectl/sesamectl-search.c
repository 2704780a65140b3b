/* sesamectl-search.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

static void
print_people_table (GListModel *people)
{
  guint n = g_list_model_get_n_items (people);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SesamePerson) person = g_list_model_get_item (people, i);
      g_autofree char *classes = sesame_person_dup_classes_label (person);

      sesamectl_print_row ((const guint[]) { 24, 20, 20, 16, 10, 9 }, 7,
                           *sesame_person_get_login (person) ? sesame_person_get_login (person) : "—",
                           sesame_person_get_last_name (person),
                           sesame_person_get_first_name (person),
                           sesame_profile_to_label (sesame_person_get_profile (person)),
                           sesame_account_state_to_label (sesame_person_get_state (person)),
                           sesame_person_get_establishment (person),
                           classes);
    }
}

int
sesamectl_cmd_search (SesameCtl *ctl,
                      int        argc,
                      char     **argv)
{
  g_autofree char *last_name = NULL;
  g_autofree char *first_name = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *subject = NULL;
  g_autofree char *establishment = NULL;
  g_autofree char *login = NULL;
  g_autofree char *key = NULL;
  g_autofree char *state = NULL;
  int limit = 0;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "last-name", 0, 0, G_OPTION_ARG_STRING, &last_name, N_("Last name (prefix)"), N_("S") },
    { "first-name", 0, 0, G_OPTION_ARG_STRING, &first_name, N_("First name (prefix)"), N_("S") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile, N_("eleve, parent, enseignant, non-enseignant, autre or collectivite"), N_("P") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_name, N_("A class or group"), N_("C") },
    { "subject", 0, 0, G_OPTION_ARG_STRING, &subject, N_("A subject taught"), N_("S") },
    { "establishment", 0, 0, G_OPTION_ARG_STRING, &establishment, N_("An establishment (UAI)"), N_("UAI") },
    { "login", 0, 0, G_OPTION_ARG_STRING, &login, N_("An exact login"), N_("L") },
    { "key", 0, 0, G_OPTION_ARG_STRING, &key, N_("A directory key"), N_("KEY") },
    { "state", 0, 0, G_OPTION_ARG_STRING, &state, N_("pending, active or disabled"), N_("S") },
    { "limit", 0, 0, G_OPTION_ARG_INT, &limit, N_("At most N results (default 200)"), N_("N") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameSearchQuery) query = sesame_search_query_new ();
  g_autoptr(GListModel) results = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("search", N_("[TEXT…]"),
                        _("Searches persons by name (words in any order, prefixes, accents and case ignored) and fields."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;

  if (argc > 1)
    query->text = g_strjoinv (" ", argv + 1);
  query->last_name = g_steal_pointer (&last_name);
  query->first_name = g_steal_pointer (&first_name);
  query->class_name = g_steal_pointer (&class_name);
  query->subject = g_steal_pointer (&subject);
  query->establishment = g_steal_pointer (&establishment);
  query->login = g_steal_pointer (&login);
  query->key = g_steal_pointer (&key);
  if (profile != NULL)
    {
      query->profile = sesame_profile_from_token (profile);
      if (query->profile == SESAME_PROFILE_NONE)
        return sesamectl_usage_error ("search", _("Unknown profile “%s”."), profile);
    }
  if (state != NULL)
    {
      SesameAccountState s;

      if (!sesame_account_state_from_token (state, &s))
        return sesamectl_usage_error ("search", _("Unknown state “%s”: use pending, active or disabled."), state);
      query->state = s;
    }
  if (limit < 0)
    return sesamectl_usage_error ("search", _("--limit must be positive."));
  query->limit = limit;

  results = sesame_search_run (ctl->store, query, NULL, &error);
  if (results == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      guint n = g_list_model_get_n_items (results);

      json_builder_begin_array (builder);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SesamePerson) person = g_list_model_get_item (results, i);

          json_builder_begin_object (builder);
          sesamectl_add_person_members (builder, person);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      guint n = g_list_model_get_n_items (results);

      print_people_table (results);
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%u result\n", "%u results\n", n), n);
    }
  return SESAMECTL_EXIT_OK;
}
