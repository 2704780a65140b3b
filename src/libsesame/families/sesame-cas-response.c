/* sesame-cas-response.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The XML a service reads back from /cas/serviceValidate: a
 * cas:serviceResponse in the namespace http://www.yale.edu/tp/cas, with
 * cas:authenticationSuccess (cas:user, then cas:attributes) or
 * cas:authenticationFailure and its code, as CAS 3.0 writes them and as
 * Apache's mod_auth_cas, phpCAS and the Java clients read them. Names
 * and classes come from the directory and may hold anything (an "&", a
 * "<"): the document is built with libxml2, which escapes them, never by
 * pasting strings.
 */
#include "config.h"

#define G_LOG_DOMAIN "sesame-cas"

#include <libxml/tree.h>

#include "sesame-cas.h"
#include "sesame-cas-response.h"
#include "sesame-types.h"

#define CAS_NAMESPACE "http://www.yale.edu/tp/cas"

static xmlNodePtr
new_response (xmlDocPtr  doc,
              xmlNsPtr  *ns)
{
  xmlNodePtr root = xmlNewDocNode (doc, NULL, BAD_CAST "serviceResponse", NULL);

  *ns = xmlNewNs (root, BAD_CAST CAS_NAMESPACE, BAD_CAST "cas");
  xmlSetNs (root, *ns);
  xmlDocSetRootElement (doc, root);
  return root;
}

static char *
dump (xmlDocPtr  doc,
      gsize     *length)
{
  xmlChar *text = NULL;
  int size = 0;
  char *copy;

  xmlDocDumpFormatMemoryEnc (doc, &text, &size, "UTF-8", 1);
  copy = g_strndup ((const char *) text, size);
  xmlFree (text);
  if (length != NULL)
    *length = size;
  return copy;
}

static void
add_attribute (xmlNodePtr  attributes,
               xmlNsPtr    ns,
               const char *name,
               const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  /* xmlNewTextChild escapes the value; xmlNewChild would not. */
  xmlNewTextChild (attributes, ns, BAD_CAST name, BAD_CAST value);
}

/**
 * sesame_cas_response_success:
 * @person: the person signed in
 * @from_new_sign_in: whether the ticket came from a sign-in made for it
 * @length: (out) (optional): the length of the document in bytes
 *
 * Writes the answer to a ticket that validated: cas:user is the login,
 * and cas:attributes holds login, firstName, lastName, profile (a token:
 * eleve, parent…), uai (the establishment), one classes element per class
 * (a parent's: their children's), and the protocol's isFromNewLogin.
 * Empty values are left out.
 *
 * Returns: (transfer full): the XML document, UTF-8
 */
char *
sesame_cas_response_success (SesamePerson *person,
                             gboolean      from_new_sign_in,
                             gsize        *length)
{
  xmlDocPtr doc;
  xmlNsPtr ns = NULL;
  xmlNodePtr root;
  xmlNodePtr success;
  xmlNodePtr attributes;
  const char * const *classes;
  char *text;

  g_return_val_if_fail (SESAME_IS_PERSON (person), NULL);

  doc = xmlNewDoc (BAD_CAST "1.0");
  root = new_response (doc, &ns);
  success = xmlNewChild (root, ns, BAD_CAST "authenticationSuccess", NULL);
  xmlNewTextChild (success, ns, BAD_CAST "user", BAD_CAST sesame_person_get_login (person));
  attributes = xmlNewChild (success, ns, BAD_CAST "attributes", NULL);
  add_attribute (attributes, ns, "login", sesame_person_get_login (person));
  add_attribute (attributes, ns, "firstName", sesame_person_get_first_name (person));
  add_attribute (attributes, ns, "lastName", sesame_person_get_last_name (person));
  add_attribute (attributes, ns, "profile", sesame_profile_to_token (sesame_person_get_profile (person)));
  add_attribute (attributes, ns, "uai", sesame_person_get_establishment (person));
  classes = sesame_person_get_classes (person);
  for (guint i = 0; classes != NULL && classes[i] != NULL; i++)
    add_attribute (attributes, ns, "classes", classes[i]);
  add_attribute (attributes, ns, "isFromNewLogin", from_new_sign_in ? "true" : "false");

  text = dump (doc, length);
  xmlFreeDoc (doc);
  return text;
}

/**
 * sesame_cas_response_failure:
 * @error: why the validation failed
 * @length: (out) (optional): the length of the document in bytes
 *
 * Writes the answer to a ticket that did not validate: the code of
 * sesame_cas_error_to_code() and the error's message.
 *
 * Returns: (transfer full): the XML document, UTF-8
 */
char *
sesame_cas_response_failure (const GError *error,
                             gsize        *length)
{
  xmlDocPtr doc;
  xmlNsPtr ns = NULL;
  xmlNodePtr root;
  xmlNodePtr failure;
  char *text;

  g_return_val_if_fail (error != NULL, NULL);

  doc = xmlNewDoc (BAD_CAST "1.0");
  root = new_response (doc, &ns);
  failure = xmlNewTextChild (root, ns, BAD_CAST "authenticationFailure", BAD_CAST error->message);
  xmlNewProp (failure, BAD_CAST "code", BAD_CAST sesame_cas_error_to_code (error));
  text = dump (doc, length);
  xmlFreeDoc (doc);
  return text;
}
