/* sesamectl-letters.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `sesamectl letters`: slips and letters to a PDF file, with no display.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

static gboolean
parse_kind (const char       *text,
            SesameLetterKind *kind)
{
  if (text == NULL || g_str_equal (text, "auto"))
    *kind = SESAME_LETTER_KIND_AUTO;
  else if (g_str_equal (text, "slips"))
    *kind = SESAME_LETTER_KIND_SLIPS;
  else if (g_str_equal (text, "letters"))
    *kind = SESAME_LETTER_KIND_LETTERS;
  else
    return FALSE;
  return TRUE;
}

int
sesamectl_cmd_letters (SesameCtl *ctl,
                       int        argc,
                       char     **argv)
{
  g_autofree char *output = NULL;
  g_autofree char *profile = NULL;
  g_autofree char *class_name = NULL;
  g_autofree char *establishment = NULL;
  g_autofree char *kind = NULL;
  g_auto(GStrv) logins = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Where to write the PDF file (required)"), N_("FILE.pdf") },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &profile, N_("Only pupils or only parents"), N_("eleve|parent") },
    { "class", 0, 0, G_OPTION_ARG_STRING, &class_name, N_("The pupils of a class and their guardians"), N_("CLASS") },
    { "establishment", 0, 0, G_OPTION_ARG_STRING, &establishment, N_("The accounts of an establishment"), N_("UAI") },
    { "login", 0, 0, G_OPTION_ARG_STRING_ARRAY, &logins, N_("Only this account (repeat for several)"), N_("LOGIN") },
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("Slips for pupils and letters for the others (auto), slips for everyone, or letters for everyone but pupils, who have no postal address"), N_("auto|slips|letters") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print what was written as JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameLetterQuery) query = sesame_letter_query_new ();
  g_autoptr(SesameLetterBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *pages = NULL;
  g_autofree char *slips = NULL;
  g_autofree char *letters = NULL;
  guint n_pages, n_slips, n_letters, n_expired;

  if (!sesamectl_parse ("letters", NULL,
                        _("Writes the slips of pupils (8 on a page, by class) and the letters of parents "
                          "(one page each, the address placed for a window envelope) to a PDF file, "
                          "readable by you only: it holds passwords. Academy staff and disabled accounts "
                          "are never printed; accounts that already chose their password print "
                          "“password already personalised”."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc > 1)
    return sesamectl_usage_error ("letters", _("Unexpected argument “%s”."), argv[1]);
  if (output == NULL)
    return sesamectl_usage_error ("letters", _("--output is required."));

  if (!parse_kind (kind, &query->kind))
    return sesamectl_usage_error ("letters", _("“%s” is not a kind: use auto, slips or letters."), kind);
  if (profile != NULL)
    {
      query->profile = sesame_profile_from_token (profile);
      if (query->profile == SESAME_PROFILE_NONE)
        return sesamectl_usage_error ("letters", _("“%s” is not a profile: use eleve or parent."), profile);
    }
  query->class_name = g_steal_pointer (&class_name);
  query->establishment = g_steal_pointer (&establishment);
  query->logins = g_steal_pointer (&logins);

  batch = sesame_letter_batch_new (ctl->store, query, NULL, &error);
  if (batch == NULL)
    return sesamectl_fail (error);
  if (!sesame_letter_batch_export_pdf (batch, output, NULL, &error) ||
      !sesame_letter_batch_record_printed (batch, ctl->store, &error))
    return sesamectl_fail (error);

  n_pages = sesame_letter_batch_get_n_pages (batch);
  n_slips = sesame_letter_batch_get_n_slips (batch);
  n_letters = sesame_letter_batch_get_n_letters (batch);
  n_expired = sesame_letter_batch_get_n_expired (batch);

  if (n_expired > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "Warning: %u account has no first password left (expired): its page asks "
                             "to come to the school office. Regenerate its password and print again.\n",
                             "Warning: %u accounts have no first password left (expired): their pages ask "
                             "to come to the school office. Regenerate their passwords and print again.\n",
                             n_expired),
                n_expired);

  pages = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u page", "%u pages", n_pages), n_pages);
  slips = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u slip", "%u slips", n_slips), n_slips);
  letters = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u letter", "%u letters", n_letters), n_letters);
  /* TRANSLATORS: "Wrote letters.pdf: 3 pages (5 slips, 2 letters)." */
  g_printerr (_("Wrote %s: %s (%s, %s).\n"), output, pages, slips, letters);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "output");
      json_builder_add_string_value (builder, output);
      json_builder_set_member_name (builder, "pages");
      json_builder_add_int_value (builder, n_pages);
      json_builder_set_member_name (builder, "slips");
      json_builder_add_int_value (builder, n_slips);
      json_builder_set_member_name (builder, "letters");
      json_builder_add_int_value (builder, n_letters);
      json_builder_set_member_name (builder, "expired");
      json_builder_add_int_value (builder, n_expired);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  return SESAMECTL_EXIT_OK;
}
