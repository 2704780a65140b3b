/* sesamectl-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sesamectl files`: the identifier files, listed, generated, exported as
 * CSV or as a spreadsheet (chosen by the output's extension) and deleted.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

static int
files_list (SesameCtl *ctl,
            int        argc,
            char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) files = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("files list", NULL, _("Lists the identifier files, newest first."), entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("files list", _("Unexpected argument “%s”."), argv[1]);

  files = sesame_identifier_files_list (ctl->store, &error);
  if (files == NULL)
    return sesamectl_fail (error);
  /* The sizes of the files as an export would write them now. */
  if (!sesame_identifier_files_measure (ctl->store, files, &error))
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < files->len; i++)
        {
          SesameIdentifierFile *file = g_ptr_array_index (files, i);
          g_autofree char *at = sesamectl_format_time (file->generated_at);
          g_autofree char *since = sesamectl_format_time (file->since);
          g_autofree char *contents = sesame_identifier_file_dup_contents (file);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, file->id);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, file->name);
          json_builder_set_member_name (builder, "establishment");
          json_builder_add_string_value (builder, file->establishment);
          json_builder_set_member_name (builder, "size");
          json_builder_add_int_value (builder, file->size);
          json_builder_set_member_name (builder, "generated_at");
          json_builder_add_string_value (builder, at);
          json_builder_set_member_name (builder, "since");
          if (since != NULL)
            json_builder_add_string_value (builder, since);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "import_id");
          if (file->import_id != NULL)
            json_builder_add_string_value (builder, file->import_id);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "contents");
          json_builder_add_string_value (builder, contents);
          json_builder_set_member_name (builder, "accounts");
          json_builder_add_int_value (builder, file->accounts);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  if (files->len == 0)
    {
      g_printerr ("%s\n", _("No identifier file yet: import the directory or run “sesamectl files generate”."));
      return SESAMECTL_EXIT_OK;
    }

  for (guint i = 0; i < files->len; i++)
    {
      SesameIdentifierFile *file = g_ptr_array_index (files, i);
      g_autofree char *at = sesamectl_format_local_time (file->generated_at);
      g_autofree char *size = g_strdup_printf ("%" G_GINT64_FORMAT, file->size);
      g_autofree char *contents = sesame_identifier_file_dup_contents (file);

      /* TRANSLATORS: id, file name, size in bytes, date, number of
       * accounts, which accounts (e.g. "All accounts") */
      g_print (_("%s  %s  %s bytes  %s  %u accounts  %s\n"),
               file->id, file->name, size, at, file->accounts, contents);
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u file\n", "%u files\n", files->len), files->len);
  return SESAMECTL_EXIT_OK;
}

static int
files_generate (SesameCtl *ctl,
                int        argc,
                char     **argv)
{
  g_autofree char *uai = NULL;
  g_autofree char *since_text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "establishment", 0, 0, G_OPTION_ARG_STRING, &uai, N_("The establishment (UAI)"), N_("UAI") },
    { "since", 0, 0, G_OPTION_ARG_STRING, &since_text, N_("Only accounts created since this date"), N_("YYYY-MM-DD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameIdentifierFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gint64 since = 0;

  if (!sesamectl_parse ("files generate", NULL,
                        _("Records a new identifier file of an establishment’s accounts: all of them, or those created since a date."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (uai == NULL)
    return sesamectl_usage_error ("files generate", _("--establishment is required."));
  if (since_text != NULL && !sesamectl_parse_date (since_text, &since))
    return sesamectl_usage_error ("files generate", _("“%s” is not a date: write it YYYY-MM-DD."), since_text);

  file = sesame_identifier_files_generate (ctl->store, uai, since, &error);
  if (file == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, file->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, file->name);
      json_builder_set_member_name (builder, "size");
      json_builder_add_int_value (builder, file->size);
      json_builder_set_member_name (builder, "accounts");
      json_builder_add_int_value (builder, file->accounts);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    g_print (_("Generated %s (%s): %u accounts.\n"), file->name, file->id, file->accounts);
  return SESAMECTL_EXIT_OK;
}

static int
files_export (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write: a spreadsheet if it ends in .xlsx, a CSV otherwise"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("files export", N_("ID…"),
                        _("Writes identifier files (readable by you only: they hold passwords): a CSV of one file, "
                          "or a spreadsheet (.xlsx) with one sheet per file, every cell kept as text."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc < 2)
    return sesamectl_usage_error ("files export", _("Name a file by its id."));
  if (output == NULL)
    return sesamectl_usage_error ("files export", _("--output is required."));
  if (argc > 2 && !sesame_identifier_file_path_is_spreadsheet (output))
    return sesamectl_usage_error ("files export",
                                  _("A CSV file holds one identifier file: name one id, or write a spreadsheet ending in .xlsx."));

  if (!sesame_identifier_files_export_all (ctl->store, (const char * const *) argv + 1, output, &error))
    return sesamectl_fail (error);
  g_printerr (_("Written to %s.\n"), output);
  return SESAMECTL_EXIT_OK;
}

static int
files_delete (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("files delete", N_("ID"), _("Deletes an identifier file from the list."), NULL, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("files delete", _("Name one file by its id."));

  if (!sesame_identifier_files_delete (ctl->store, argv[1], &error))
    return sesamectl_fail (error);
  g_printerr (_("Deleted.\n"));
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand files_subcommands[] = {
  { "list", files_list, "[--json]", N_("list the identifier files") },
  { "generate", files_generate, "--establishment UAI [--since DATE]", N_("record a new file") },
  { "export", files_export, "ID… --output FILE.csv|FILE.xlsx", N_("write a file as CSV, or files as a spreadsheet") },
  { "delete", files_delete, "ID", N_("delete a file") },
};

int
sesamectl_cmd_files (SesameCtl *ctl,
                     int        argc,
                     char     **argv)
{
  return sesamectl_run_subcommand (ctl, "files", files_subcommands, G_N_ELEMENTS (files_subcommands), argc, argv);
}
