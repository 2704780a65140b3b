/* sesame-demo-tables.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the demo directory is made of: French names as a school office meets
 * them (accents, ligatures, apostrophes, spaces, hyphens), the towns of an
 * academy with their postal codes, streets, and the subjects and levels of
 * collèges and lycées. Common names come first: the generator favours the
 * head of each list, so that homonyms happen as they do in a real school.
 * Phone numbers and email domains are chosen elsewhere from ranges reserved
 * for fiction.
 */
#include "config.h"

#include "sesame-demo-directory-private.h"

#define LIST(array) { array, G_N_ELEMENTS (array) }

static const char * const last_names[] = {
  "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit",
  "Durand", "Leroy", "Moreau", "Simon", "Laurent", "Michel",
  "Garcia", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel",
  "Girard", "André", "Lefebvre", "Mercier", "Dupont", "Lambert", "Bonnet",
  "Da Silva", "Le Gall", "D'Almeida", "N'Diaye", "Nguyen", "Lefèvre",
  "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau",
  "Blanc", "Guérin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin",
  "Morin", "Mathieu", "Clément", "Gauthier", "Dumont", "Lopez", "Fontaine",
  "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Boyer",
  "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy",
  "Noël", "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand",
  "Dufour", "Blanchard", "Marie", "Barbier", "Brun", "Dumas", "Brunet",
  "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre", "Renard", "Arnaud",
  "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois",
  "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq",
  "Lacroix", "Fabre", "Dupuis", "Olivier", "Rodriguez",
  "Hubert", "Louis", "Charles", "Guillot", "Rivière",
  "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte",
  "Ménard", "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît",
  "Paris", "Maillard", "Marchal", "Aubry", "Vasseur", "Le Roux", "Renault",
  "Jacquet", "Collet", "Prévost", "Poirier", "Charpentier", "Royer",
  "Huet", "Baron", "Dupuy", "Pons", "Paul", "Lainé", "Carré", "Breton",
  "Rémy", "Schneider", "Perrot", "Guyot", "Barre", "Marty", "Cousin",
  "Diallo", "Traoré", "Benali", "Haddad",
  "Le Goff", "Le Bihan", "De Oliveira", "Dos Santos", "Saint-Martin",
  "Hébert", "Bénard", "Bégué", "Chrétien", "Lemaître", "Cœurdevey",
  "Lœuillet", "Müller", "Öztürk", "Çelik", "Núñez", "Gonçalves", "Thévenet",
  "Jolivet", "Ferrand", "Pellissier", "Mollard", "Jacquier", "Favre",
  "Buisson", "Perrier", "Chabert", "Vuillermoz", "Excoffier", "Pollet",
  "Bouvier", "Dunand", "Perroud", "Ducret", "Rigaud", "Cattin", "Baud",
  "Tissot", "Pernollet", "Collomb", "Gros", "Servoz", "Chatel", "Dussolier",
  "Bozon", "Burnier", "Pasquier", "Reymond", "Gay", "Mermillod", "Cohendoz",
  "Ben Saïd", "Mansouri", "Bouzid", "Hamidi", "Kaya", "Yilmaz", "Pereira",
  "Ferreira", "Rossi", "Ricci", "Esposito", "Lombardi", "Van den Berg",
  "De la Fontaine", "L'Hôte", "D'Angelo", "Le Guen", "Ould Ahmed",
  "Tran", "Pham", "Le Van", "Keïta", "Koné", "Camara", "Sow", "Bâ",
  "Mbappé", "Nkoulou", "Wójcik", "Kowalski", "Novák", "Ivanović",
};

static const char * const girls[] = {
  "Emma", "Jade", "Louise", "Alice", "Chloé", "Lina", "Léa", "Rose",
  "Anna", "Mila", "Inès", "Ambre", "Julia", "Mia", "Léna", "Manon",
  "Juliette", "Lou", "Zoé", "Camille", "Agathe", "Jeanne", "Lucie", "Éva",
  "Nina", "Sarah", "Romane", "Inaya", "Louna", "Charlotte", "Adèle",
  "Clémence", "Margaux", "Anaïs", "Maëlys", "Océane", "Noémie", "Élise",
  "Héloïse", "Éloïse", "Salomé", "Justine", "Capucine", "Clara", "Maëlle",
  "Léonie", "Lola", "Yasmine", "Aïcha", "Fatoumata", "Anne-Sophie",
  "Marie-Lou", "Lily-Rose", "Maïwenn", "Nour", "Thaïs", "Solène",
  "Mathilde", "Pauline", "Laura", "Gaëlle", "Apolline", "Constance",
  "Victoire", "Garance", "Céleste", "Albane", "Bérénice", "Iris", "Olivia",
  "Lyna", "Maya", "Assia", "Kenza", "Myriam", "Naëlle", "Énora", "Loane",
  "Perrine", "Ophélie", "Zélie", "Joséphine", "Marie", "Anne", "Hannah",
  "Alicia", "Elsa", "Luna", "Giulia", "Sofia", "Ana", "Chiara", "Ayşe",
  "Marie Claire", "Flavie", "Maud", "Axelle", "Coline", "Faustine",
};

static const char * const boys[] = {
  "Gabriel", "Léo", "Raphaël", "Arthur", "Louis", "Lucas", "Adam", "Jules",
  "Hugo", "Maël", "Liam", "Noah", "Paul", "Ethan", "Tiago", "Sacha",
  "Gabin", "Nathan", "Mohamed", "Aaron", "Théo", "Tom", "Mathis", "Enzo",
  "Timéo", "Noé", "Mathéo", "Clément", "Baptiste", "Maxime", "Antoine",
  "Alexandre", "Thomas", "Évan", "Rayan", "Yanis", "Ibrahim", "Loïc",
  "Gaël", "Jean-Baptiste", "Pierre-Louis", "Côme", "Aurélien", "Valentin",
  "Quentin", "Bastien", "Kylian", "Nolan", "Axel", "Élie", "Mathys",
  "Timothée", "Anaël", "Benoît", "Célestin", "Joachim", "Eliott", "Malo",
  "Martin", "Victor", "Augustin", "Léon", "Marius", "Robin", "Simon",
  "Samuel", "Ilyes", "Amir", "Ismaël", "Mamadou", "Moussa", "Younès",
  "Diego", "Mattéo", "Lorenzo", "João", "Bilal", "Titouan", "Erwan",
  "Gaspard", "Romain", "Florian", "Dylan", "Kévin", "Jérémy", "Corentin",
  "Jean", "Pierre", "Jules-Henri", "Killian", "Lenny", "Sofiane", "Ewen",
  "Aymeric", "Hippolyte", "Oscar", "Nils", "Soën", "Emir", "Mehmet",
};

static const char * const women[] = {
  "Nathalie", "Isabelle", "Sylvie", "Catherine", "Valérie", "Christine",
  "Sandrine", "Céline", "Stéphanie", "Aurélie", "Émilie", "Julie",
  "Élodie", "Virginie", "Sophie", "Delphine", "Karine", "Laetitia",
  "Séverine", "Caroline", "Hélène", "Cécile", "Audrey", "Marie", "Anne",
  "Agnès", "Véronique", "Florence", "Mélanie", "Laurence", "Françoise",
  "Marie-Claire", "Anne-Laure", "Ségolène", "Gwenaëlle", "Maryse",
  "Fatima", "Samira", "Nadia", "Malika", "Khadija", "Ana", "Béatrice",
  "Corinne", "Magali", "Estelle", "Géraldine", "Ingrid", "Vanessa",
  "Jessica", "Amandine", "Marion", "Claire", "Charlotte", "Camille",
  "Pauline", "Anaïs", "Émeline", "Gaëlle", "Noëlle", "Maïté", "Rachida",
  "Leïla", "Aïssatou", "Fatoumata", "Mariana", "Sandra", "Patricia",
  "Martine", "Dominique", "Pascale", "Brigitte", "Odile", "Chantal",
  "Marie-Hélène", "Anne-Marie", "Bénédicte", "Clotilde", "Perrine",
  "Soizic", "Tiphaine", "Annabelle", "Ludivine", "Adeline", "Coralie",
  "Marie José", "Zeynep", "Elif", "Giovanna", "Ewa", "Dragana", "Thị Lan",
};

static const char * const men[] = {
  "Stéphane", "Sébastien", "Nicolas", "Christophe", "Frédéric", "Laurent",
  "Julien", "David", "Olivier", "Éric", "Thierry", "Philippe", "Pascal",
  "Jérôme", "Vincent", "Franck", "Cédric", "Fabrice", "Guillaume",
  "Arnaud", "Benoît", "Jean-Marc", "Jean-François", "Pierre", "Mickaël",
  "Grégory", "Yannick", "Hervé", "Didier", "Patrick", "Rachid", "Karim",
  "Mehdi", "Mourad", "José", "Antonio", "João", "François", "Rémi",
  "Gaëtan", "Anthony", "Ludovic", "Damien", "Xavier", "Jean-Luc", "Loïc",
  "Joël", "Noël", "Emmanuel", "Alexandre", "Mathieu", "Jean-Pierre",
  "Bruno", "Alain", "Denis", "Serge", "Thibault", "Romain", "Florent",
  "Jonathan", "Raphaël", "Matthieu", "Yann", "Gilles", "Hugues",
  "Aurélien", "Bertrand", "Christian", "Daniel", "Marc", "Luc", "Paul",
  "Abdelkader", "Mamadou", "Ousmane", "Moussa", "Hakim", "Samir", "Ali",
  "Mustafa", "Mehmet", "Giuseppe", "Marco", "Piotr", "Dragan", "Minh",
  "Jean-Christophe", "Pierre-Yves", "Jean Marie", "Anne-Gaël", "Ghislain",
};

static const char * const streets[] = {
  "rue Victor Hugo", "avenue Jean Jaurès", "rue de la République",
  "chemin des Vignes", "impasse des Lilas", "place de l'Église",
  "route d'Annecy", "allée des Érables", "rue du Général de Gaulle",
  "boulevard Gambetta", "rue Pasteur", "rue des Écoles",
  "chemin du Moulin", "rue de la Gare", "avenue de Genève",
  "rue Sainte-Claire", "montée du Château", "rue des Alpes",
  "route de Chambéry", "rue Jean Moulin", "quai Perrière", "cours Berriat",
  "rue d'Italie", "avenue d'Aix-les-Bains", "rue Lesdiguières",
  "rue du Lac", "chemin de la Forêt", "rue des Jardins", "rue de Savoie",
  "avenue de la Libération", "rue Émile Zola", "chemin des Crêts",
  "route des Aravis", "rue du Pré-Félin", "allée des Mésanges",
  "rue Frédéric Mistral", "square des Fauvettes", "rue de l'Industrie",
  "avenue des Îles", "rue du 8 Mai 1945", "chemin de Bellevue",
  "rue Marcel Pagnol", "rue Paul Éluard", "route de Grenoble",
  "rue des Tanneurs", "rue Carnot", "avenue Félix Faure",
  "rue Aristide Briand", "chemin des Œillets", "rue du Mont-Blanc",
};

static const char * const residences[] = {
  "Résidence Les Tilleuls", "Résidence Le Belvédère", "Les Jardins d'Arve",
  "Résidence Bellevue", "Le Clos des Vignes", "Résidence du Parc",
  "Les Hauts de Chavant", "Résidence L'Arlequin", "Le Village Olympique",
  "Résidence Les Mûriers", "Les Terrasses du Lac", "Résidence Le Chamois",
};

static const char * const patrons[] = {
  "JEAN MOULIN", "VICTOR HUGO", "LOUISE MICHEL", "MARIE CURIE",
  "JULES FERRY", "SIMONE VEIL", "LES ARAVIS", "LE SEMNOZ", "CHAMPOLLION",
  "VAUGELAS", "BERTHOLLET", "SAINT-EXUPERY", "JEAN JAURES",
  "PABLO NERUDA", "LOUIS ARMAND", "GEORGE SAND", "PIERRE MENDES FRANCE",
  "CLAUDE DEBUSSY", "LES BAUGES", "LE GRANIER", "DE LA CHARTREUSE",
  "DU VERCORS", "DU MONT-BLANC", "JACQUES PREVERT", "ALBERT CAMUS",
  "PAUL ELUARD", "EDOUARD HERRIOT", "ANNE FRANK", "JEAN MACE",
  "LES EAUX CLAIRES", "EMILE ZOLA", "JOSEPH FOURIER", "D'ALLINGES",
  "DE L'ALBANAIS", "LES DAILLETTES", "EMMANUEL MOUNIER", "STENDHAL",
  "CHARLES BAUDELAIRE", "GUILLAUME FICHET", "LA CURTAZ",
};

static const char * const regimes[] = {
  "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT",
  "DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT",
  "EXTERNE LIBRE",
  "INTERNE DANS L'ETABLISSEMENT",
  "DEMI-PENSIONNAIRE HORS L'ETABLISSEMENT",
};

static const char * const departments[] = {
  "074", "073", "038", "026", "007",
};

static const DemoCity cities[] = {
  { "ANNECY", "74000", 0 }, { "ANNEMASSE", "74100", 0 },
  { "THONON-LES-BAINS", "74200", 0 }, { "CLUSES", "74300", 0 },
  { "SALLANCHES", "74700", 0 }, { "RUMILLY", "74150", 0 },
  { "LA ROCHE-SUR-FORON", "74800", 0 }, { "SEYNOD", "74600", 0 },
  { "EVIAN-LES-BAINS", "74500", 0 }, { "BONNEVILLE", "74130", 0 },
  { "SAINT-JULIEN-EN-GENEVOIS", "74160", 0 }, { "THONES", "74230", 0 },
  { "CHAMONIX-MONT-BLANC", "74400", 0 }, { "LA CLUSAZ", "74220", 0 },
  { "CHAMBERY", "73000", 1 }, { "AIX-LES-BAINS", "73100", 1 },
  { "ALBERTVILLE", "73200", 1 }, { "SAINT-JEAN-DE-MAURIENNE", "73300", 1 },
  { "MOUTIERS", "73600", 1 }, { "LA MOTTE-SERVOLEX", "73290", 1 },
  { "BOURG-SAINT-MAURICE", "73700", 1 }, { "MONTMELIAN", "73800", 1 },
  { "GRENOBLE", "38000", 2 }, { "ECHIROLLES", "38130", 2 },
  { "SAINT-MARTIN-D'HERES", "38400", 2 }, { "VOIRON", "38500", 2 },
  { "VIENNE", "38200", 2 }, { "BOURGOIN-JALLIEU", "38300", 2 },
  { "MEYLAN", "38240", 2 }, { "FONTAINE", "38600", 2 },
  { "SEYSSINET-PARISET", "38170", 2 }, { "VILLEFONTAINE", "38090", 2 },
  { "L'ISLE-D'ABEAU", "38080", 2 }, { "LA TOUR-DU-PIN", "38110", 2 },
  { "SAINT-EGREVE", "38120", 2 }, { "CROLLES", "38920", 2 },
  { "VIF", "38450", 2 },
  { "VALENCE", "26000", 3 }, { "MONTELIMAR", "26200", 3 },
  { "ROMANS-SUR-ISERE", "26100", 3 }, { "PIERRELATTE", "26700", 3 },
  { "DIE", "26150", 3 }, { "NYONS", "26110", 3 }, { "CREST", "26400", 3 },
  { "BOURG-LES-VALENCE", "26500", 3 },
  { "PRIVAS", "07000", 4 }, { "ANNONAY", "07100", 4 },
  { "AUBENAS", "07200", 4 }, { "TOURNON-SUR-RHONE", "07300", 4 },
  { "LE TEIL", "07400", 4 }, { "GUILHERAND-GRANGES", "07500", 4 },
  { "LARGENTIERE", "07110", 4 },
};

static const DemoCity abroad[] = {
  { "GENEVE", "1205", 0 }, { "LAUSANNE", "1003", 0 }, { "NYON", "1260", 0 },
};

/* Levels: 0–3 collège (6e → 3e), 4–6 lycée (2nde → Terminale). A class
 * code is a stem and a letter (collège) or a number (lycée): 6A, 2NDE3,
 * or with the spaced stems 6e A, 2nde 3, Tle G1. */
static const DemoLevel levels[] = {
  { "6",    "6e ",   "10010012110", "6EME",                    11, FALSE },
  { "5",    "5e ",   "10110001110", "5EME",                    12, FALSE },
  { "4",    "4e ",   "10210001110", "4EME",                    13, FALSE },
  { "3",    "3e ",   "10310019110", "3EME",                    14, FALSE },
  { "2NDE", "2nde ", "20010018110", "2NDE GENERALE ET TECHNO", 15, TRUE },
  { "1G",   "1re G", "20111001110", "1ERE GENERALE",           16, TRUE },
  { "TG",   "Tle G", "20211001110", "TERMINALE GENERALE",      17, TRUE },
};

#define COLLEGE   0x0f
#define FROM_5E   0x0e
#define LYCEE     0x70
#define ALL       0x7f

static const DemoSubject subjects[] = {
  { "020700", "FRANCAIS", "L0202", "LETTRES MODERNES", "02$LETTRES", 4, DEMO_TEACH_CLASS, 0x3f },
  { "061300", "MATHEMATIQUES", "L1300", "MATHEMATIQUES", "13$MATHEMATIQUES", 4, DEMO_TEACH_CLASS, ALL },
  { "030201", "ANGLAIS LV1", "L0422", "ANGLAIS", "04$LANGUES VIVANTES", 6, DEMO_TEACH_CLASS, ALL },
  { "040600", "HISTOIRE-GEOGRAPHIE", "L1000", "HISTOIRE GEOGRAPHIE", "10$HISTOIRE GEOGRAPHIE", 5, DEMO_TEACH_CLASS, ALL },
  { "062900", "SCIENCES DE LA VIE ET DE LA TERRE", "L1600", "SCIENCES DE LA VIE ET DE LA TERRE",
    "16$SCIENCES DE LA VIE ET DE LA TERRE", 10, DEMO_TEACH_CLASS, ALL },
  { "062300", "PHYSIQUE-CHIMIE", "L1500", "PHYSIQUE CHIMIE", "15$PHYSIQUE CHIMIE", 9, DEMO_TEACH_CLASS, ALL },
  { "070800", "TECHNOLOGIE", "L1400", "TECHNOLOGIE", "14$TECHNOLOGIE", 12, DEMO_TEACH_CLASS, COLLEGE },
  { "081300", "EDUCATION MUSICALE", "L1700", "EDUCATION MUSICALE", "17$EDUCATION MUSICALE", 18, DEMO_TEACH_CLASS, COLLEGE },
  { "090100", "ARTS PLASTIQUES", "L1800", "ARTS PLASTIQUES", "18$ARTS PLASTIQUES", 18, DEMO_TEACH_CLASS, COLLEGE },
  { "100100", "EDUCATION PHYSIQUE ET SPORTIVE", "L1900", "EDUCATION PHYSIQUE ET SPORTIVE",
    "19$EDUCATION PHYSIQUE ET SPORTIVE", 6, DEMO_TEACH_CLASS, ALL },
  { "076700", "SCIENCES ECONOMIQUES ET SOCIALES", "L1100", "SCIENCES ECONOMIQUES ET SOCIALES",
    "11$SCIENCES ECONOMIQUES ET SOCIALES", 6, DEMO_TEACH_CLASS, LYCEE },
  { "013000", "PHILOSOPHIE", "L0100", "PHILOSOPHIE", "01$PHILOSOPHIE", 5, DEMO_TEACH_CLASS, 0x40 },
  { "067300", "SCIENCES DE L'INGENIEUR", "L1411", "SCIENCES INDUSTRIELLES DE L'INGENIEUR",
    "14$TECHNOLOGIE", 8, DEMO_TEACH_CLASS, 0x60 },
  { "030602", "ESPAGNOL LV2", "L0426", "ESPAGNOL", "04$LANGUES VIVANTES", 7, DEMO_TEACH_LV2, 0x7e },
  { "030502", "ALLEMAND LV2", "L0421", "ALLEMAND", "04$LANGUES VIVANTES", 7, DEMO_TEACH_LV2, 0x7e },
  { "030702", "ITALIEN LV2", "L0429", "ITALIEN", "04$LANGUES VIVANTES", 7, DEMO_TEACH_LV2, 0x7e },
  { "020300", "LATIN", "L0201", "LETTRES CLASSIQUES", "02$LETTRES", 8, DEMO_TEACH_OPTION, FROM_5E },
  { "069600", "METHODES & PRATIQUES SCIENTIFIQUES", "L1500", "PHYSIQUE CHIMIE",
    "15$PHYSIQUE CHIMIE", 8, DEMO_TEACH_OPTION, 0x10 },
};

static const DemoSubject extra_subjects[] = {
  { "008400", "VIE DE CLASSE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, ALL },
  { "005400", "VIE SCOLAIRE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "006600", "ACCOMPAGNEMENT PERSONNALISE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "041400", "ENSEIGNEMENT MORAL ET CIVIQUE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, ALL },
  { "002400", "ACCES EN AUTONOMIE AU LABO.INFORMATIQUE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "009800", "ACCOMPAGN.EDUCATIF- AIDE DEVOIRS LECONS", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "040900", "HISTOIRE DES ARTS", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "009900", "DEVOIRS FAITS", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, COLLEGE },
  { "031002", "CHINOIS LV2", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "020400", "GREC", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "085200", "THEATRE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "082100", "CINEMA-AUDIOVISUEL", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "071200", "SCIENCES NUMERIQUES ET TECHNOLOGIE", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0x10 },
  { "030220", "ANGLAIS MONDE CONTEMPORAIN", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "042500", "HIST.GEO.GEOPOL.& SC.POLITIQUES", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
  { "063300", "NUMERIQUE ET SCIENCES INFORMATIQUES", NULL, NULL, NULL, 0, DEMO_TEACH_CLASS, 0 },
};

const DemoTables *
_sesame_demo_tables (void)
{
  static const DemoTables tables = {
    .last_names = LIST (last_names),
    .girls = LIST (girls),
    .boys = LIST (boys),
    .women = LIST (women),
    .men = LIST (men),
    .streets = LIST (streets),
    .residences = LIST (residences),
    .patrons = LIST (patrons),
    .regimes = LIST (regimes),
    .cities = cities,
    .n_cities = G_N_ELEMENTS (cities),
    .abroad = abroad,
    .n_abroad = G_N_ELEMENTS (abroad),
    .departments = departments,
    .n_departments = G_N_ELEMENTS (departments),
    .subjects = subjects,
    .n_subjects = G_N_ELEMENTS (subjects),
    .extra_subjects = extra_subjects,
    .n_extra_subjects = G_N_ELEMENTS (extra_subjects),
    .levels = levels,
    .n_levels = G_N_ELEMENTS (levels),
  };

  return &tables;
}

/* 7 digits then a letter: the number modulo 23 picks it (0740017S). */
char
_sesame_demo_uai_letter (const char *digits)
{
  static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
  guint64 number = g_ascii_strtoull (digits, NULL, 10);

  return letters[number % 23];
}

char *
_sesame_demo_ascii_word (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");
  GString *word = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (word, g_ascii_tolower (*p));
      else if ((*p == '-' || *p == ' ') && word->len > 0 && word->str[word->len - 1] != '-')
        g_string_append_c (word, '-');
    }
  while (word->len > 0 && word->str[word->len - 1] == '-')
    g_string_truncate (word, word->len - 1);
  return g_string_free (word, FALSE);
}
