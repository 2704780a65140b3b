/* sesamectl-cas.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * sesamectl cas: on the server's store, the web services that may sign
 * people in with the server's CAS (the ENT, a school's own sites). An
 * administrator registers each one; the server refuses every other.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "sesamectl.h"

static void
add_service_members (JsonBuilder            *builder,
                     const SesameCasService *service)
{
  json_builder_set_member_name (builder, "url");
  json_builder_add_string_value (builder, service->url);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, service->id);
  sesamectl_json_add_time (builder, "added_at", service->added_at);
  json_builder_set_member_name (builder, "added_by");
  json_builder_add_string_value (builder, service->added_by);
}

static int
services_add (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(SesameCasService) service = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("cas services add", N_("URL"),
                        _("Registers a web service: the server's CAS signs people in for this address "
                          "and the addresses below it."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("cas services add", _("Give the service's address, e.g. https://ent.example.fr/."));

  service = sesame_cas_services_add (ctl->store, argv[1], &error);
  if (service == NULL)
    return sesamectl_fail (error);
  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_service_members (builder, service);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
    }
  else
    {
      g_print (_("Service %s registered: its users may now sign in with their ENT account."), service->url);
      g_print ("\n");
    }
  return SESAMECTL_EXIT_OK;
}

static int
services_list (SesameCtl *ctl,
               int        argc,
               char     **argv)
{
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GPtrArray) services = NULL;
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("cas services list", NULL, _("The web services registered with the server's CAS."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 1)
    return sesamectl_usage_error ("cas services list", _("This command takes no argument."));

  services = sesame_cas_services_list (ctl->store, &error);
  if (services == NULL)
    return sesamectl_fail (error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < services->len; i++)
        {
          json_builder_begin_object (builder);
          add_service_members (builder, g_ptr_array_index (services, i));
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      sesamectl_print_json (root);
      return SESAMECTL_EXIT_OK;
    }

  if (services->len == 0)
    {
      g_print ("%s\n", _("No service yet: “sesamectl cas services add URL” registers one."));
      return SESAMECTL_EXIT_OK;
    }
  for (guint i = 0; i < services->len; i++)
    {
      SesameCasService *service = g_ptr_array_index (services, i);
      g_autofree char *added = sesamectl_format_local_time (service->added_at);

      sesamectl_print_row ((const guint[]) { 48, 18 }, 3, service->url, added, service->added_by);
    }
  return SESAMECTL_EXIT_OK;
}

static int
services_remove (SesameCtl *ctl,
                 int        argc,
                 char     **argv)
{
  GOptionEntry entries[] = { { NULL } };
  g_autoptr(GError) error = NULL;

  if (!sesamectl_parse ("cas services remove", N_("URL"),
                        _("Removes a web service: the server's CAS no longer signs anyone in for it."),
                        entries, &argc, &argv))
    return SESAMECTL_EXIT_USAGE;
  if (argc != 2)
    return sesamectl_usage_error ("cas services remove",
                                  _("Give the service's address, as “sesamectl cas services list” shows it."));
  if (!sesame_cas_services_remove (ctl->store, argv[1], &error))
    return sesamectl_fail (error);
  g_print (_("Service %s removed."), argv[1]);
  g_print ("\n");
  return SESAMECTL_EXIT_OK;
}

static const SesameCtlSubcommand services_subcommands[] = {
  { "add", services_add, "URL [--json]", N_("Register a web service for sign-in") },
  { "list", services_list, "[--json]", N_("List the registered services") },
  { "remove", services_remove, "URL", N_("Remove a service: refused from now on") },
};

static int
cas_services (SesameCtl *ctl,
              int        argc,
              char     **argv)
{
  return sesamectl_run_subcommand (ctl, "cas services", services_subcommands,
                                   G_N_ELEMENTS (services_subcommands), argc, argv);
}

static const SesameCtlSubcommand cas_subcommands[] = {
  { "services", cas_services, "add|list|remove …", N_("The web services that sign people in with the server's CAS") },
};

int
sesamectl_cmd_cas (SesameCtl *ctl,
                   int        argc,
                   char     **argv)
{
  return sesamectl_run_subcommand (ctl, "cas", cas_subcommands, G_N_ELEMENTS (cas_subcommands), argc, argv);
}
