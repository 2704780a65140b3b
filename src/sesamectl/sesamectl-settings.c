/* sesamectl-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"
#include "sesame-letters.h"

static const struct {
  const char *key;
  const char *default_value;
  const char *summary;
} known_settings[] = {
  { SESAME_SETTING_ENT_NAME, NULL, N_("the name of the ENT, in letters and email") },
  { SESAME_SETTING_ENT_URL, NULL, N_("the address of the ENT, in letters, slips and email") },
  { SESAME_SETTING_LETTER_TEXT, NULL, N_("the paragraph of the parents’ letter") },
  { SESAME_SETTING_DOCUMENT_LANGUAGE, SESAME_DOCUMENT_LANGUAGE_DEFAULT,
    N_("the language of letters, slips, emails and identifier files: fr or en") },
  { SESAME_SETTING_PASSWORD_LENGTH, "8", N_("the length of first passwords (6 to 32)") },
  { SESAME_SETTING_PASSWORD_EXPIRY_DAYS, "60", N_("how many days a first password works (1 to 365)") },
  { SESAME_SETTING_PASSWORD_MIN_LENGTH, "6", N_("the shortest password a person may choose (4 to 64)") },
  { SESAME_SETTING_ACADEMY_PREFIX, NULL, N_("the prefix of directory keys in identifier files, e.g. AC-GRENOBLE") },
  { SESAME_SETTING_DEPARTURE_THRESHOLD, "10",
    N_("the share of an establishment’s people (0 to 100 %) an import marks as having left without a confirmation") },
};

static int
settings_list (SesameCtl *ctl,
               int        argc,
               char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("settings list", NULL, _("Lists the settings of the store, shared by every desk."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (!sesame_store_operator_check_permission (ctl->store, SESAME_PERMISSION_OPERATE, NULL, &error))
    return sesamectl_fail (error);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (known_settings); i++)
    {
      g_autofree char *default_value = g_strdup (known_settings[i].default_value);
      g_autofree char *value = NULL;

      if (g_str_equal (known_settings[i].key, SESAME_SETTING_LETTER_TEXT))
        default_value = sesame_letters_dup_default_text (ctl->store);
      value = sesame_store_settings_dup (ctl->store, known_settings[i].key, default_value);

      if (json)
        {
          json_builder_set_member_name (builder, known_settings[i].key);
          json_builder_add_string_value (builder, value ? value : "");
        }
      else
        {
          g_autofree char *summary = g_strdup_printf ("  (%s)", _(known_settings[i].summary));

          sesamectl_print_row ((const guint[]) { 22 }, 2, known_settings[i].key, value ? value : "");
          sesamectl_print_row ((const guint[]) { 22 }, 2, "", summary);
        }
    }
  json_builder_end_object (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  return SESAMECTL_EXIT_OK;
}

static int
settings_set (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  g_autoptr(GError) error = NULL;
  gboolean known = FALSE;

  if (!sesamectl_parse ("settings set", N_("KEY VALUE"), _("Changes a setting of the store (administrators of every establishment only)."),
                        NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 3)
    return sesamectl_usage_error ("settings set", _("Give a setting and its value."));

  for (guint i = 0; i < G_N_ELEMENTS (known_settings); i++)
    known |= g_str_equal (known_settings[i].key, argv[1]);
  if (!known)
    return sesamectl_usage_error ("settings set", _("Unknown setting “%s”: see “sesamectl settings list”."), argv[1]);

  if (!sesame_store_settings_set (ctl->store, argv[1], argv[2], &error))
    return sesamectl_fail (error);
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand settings_subcommands[] = {
  { "list", settings_list, "[--json]", N_("the settings of the store") },
  { "set", settings_set, "KEY VALUE", N_("change a setting") },
};

int
sesamectl_cmd_settings (SesameCtl *ctl,
                        int        argc,
                        char     **argv)
{
  return sesamectl_run_subcommand (ctl, "settings", settings_subcommands, G_N_ELEMENTS (settings_subcommands), argc, argv);
}
