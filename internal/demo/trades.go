package demo

import "souk/internal/vendor"

// A trade is what a vendor does: its kind, how it is named, who founded
// it, how it works, and the product templates (keys of templates) it sells.
// In legal, display and maker, "%s" is the vendor's own name.
type trade struct {
	kind      vendor.Kind
	legal     string // French legal name
	display   tr     // the name shown in the storefront
	founders  founders
	craft     []tr     // one sentence on how the work is done
	templates []string // what it sells; empty for publishers
}

// founders says who started a vendor; it picks the story's first and last
// sentences.
type founders int

const (
	women    founders = iota // a women's cooperative of a douar
	farmers                  // growers' or beekeepers' cooperative
	crafters                 // a cooperative of craftsmen and women
	fishers                  // a cooperative of small-boat fishers
	family                   // an artisan's workshop
	company                  // an exporting company
	house                    // a publishing house
	shop                     // a bookshop
)

// maker is how product descriptions name the vendor, with its article.
func (t *trade) maker() tr {
	switch t.kind {
	case vendor.Cooperative:
		return tr{"تعاونية %s", "la coopérative %s", "the %s cooperative", "la cooperativa %s"}
	case vendor.Artisan:
		return tr{"ورشة %s", "l'atelier %s", "the %s workshop", "el taller %s"}
	}
	return t.display
}

var (
	coopName     = tr{"تعاونية %s", "Coopérative %s", "%s Cooperative", "Cooperativa %s"}
	workshopName = tr{"ورشة %s", "Atelier %s", "%s Workshop", "Taller %s"}
)

var argan = &trade{vendor.Cooperative, "Coopérative %s pour la production d'huile d'argan", coopName, women,
	[]tr{
		{"تكسر النساء حبات الأركان بالحجر وتعصرن الزيت في مقر التعاونية، وفق المعارف التي ورثنها عن أمهاتهن.",
			"Les femmes concassent les noix d'argan à la pierre et pressent l'huile dans l'atelier de la coopérative, selon le savoir-faire reçu de leurs mères.",
			"The women crack the argan nuts with stones and press the oil in the cooperative's workshop, as their mothers taught them.",
			"Las mujeres parten las nueces de argán con piedras y prensan el aceite en el taller de la cooperativa, como les enseñaron sus madres."},
		{"تجمع الثمار من غابة الأركان المحيطة بالدوار بعد سقوطها طبيعيا، ولا يقطف أي منها من الشجرة.",
			"Les fruits sont ramassés au sol dans l'arganeraie qui entoure le douar, jamais cueillis sur l'arbre.",
			"The fruit is gathered from the ground in the argan forest around the village, never picked from the tree.",
			"Los frutos se recogen del suelo en el arganar que rodea el aduar, nunca se arrancan del árbol."},
	},
	[]string{"argan-cosmetic", "argan-culinary", "amlou", "black-soap"}}

var amlouTrade = &trade{vendor.Cooperative, "Coopérative %s pour la production d'amlou et de produits du terroir", coopName, women,
	[]tr{
		{"تطحن العضوات اللوز المحمص على الرحى الحجرية ويمزجنه بزيت الأركان وعسل الجبل.",
			"Les membres broient les amandes grillées à la meule de pierre et les mêlent à l'huile d'argan et au miel de montagne.",
			"The members grind roasted almonds on a stone mill and blend them with argan oil and mountain honey.",
			"Las socias muelen las almendras tostadas en muela de piedra y las mezclan con aceite de argán y miel de montaña."},
	},
	[]string{"amlou", "argan-culinary", "honey-thyme", "almonds"}}

var saffronTrade = &trade{vendor.Cooperative, "Coopérative agricole %s du safran", coopName, farmers,
	[]tr{
		{"في هضاب سيروا، تقطف الأسر كل زهرة عند الفجر في شهر نونبر وتجفف المياسم في الظل.",
			"Sur les plateaux du Siroua, les familles cueillent chaque fleur à l'aube en novembre et sèchent les stigmates à l'ombre.",
			"On the Siroua plateaus, families pick every flower at dawn in November and dry the stigmas in the shade.",
			"En las mesetas del Siroua, las familias recogen cada flor al amanecer en noviembre y secan los estigmas a la sombra."},
		{"يلزم قرابة مئة وخمسين ألف زهرة للحصول على كيلوغرام واحد من الزعفران الجاف.",
			"Il faut près de cent cinquante mille fleurs pour obtenir un kilo de safran sec.",
			"It takes some hundred and fifty thousand flowers to make one kilo of dried saffron.",
			"Hacen falta unas ciento cincuenta mil flores para obtener un kilo de azafrán seco."},
	},
	[]string{"saffron", "herbal-tea"}}

var almondTrade = &trade{vendor.Cooperative, "Coopérative agricole %s des amandes", coopName, farmers,
	[]tr{
		{"تنمو أشجار اللوز في مدرجات وادي أملن دون سقي، وتقشر الثمار وتفرز يدويا.",
			"Les amandiers poussent sans irrigation sur les terrasses de la vallée des Ammeln ; les amandes sont décortiquées et triées à la main.",
			"The almond trees grow unirrigated on the terraces of the Ammeln valley; the nuts are shelled and sorted by hand.",
			"Los almendros crecen sin riego en las terrazas del valle de los Ammeln; las almendras se pelan y seleccionan a mano."},
	},
	[]string{"almonds", "amlou", "argan-culinary"}}

var datesTrade = &trade{vendor.Cooperative, "Coopérative %s pour la valorisation des dattes", coopName, farmers,
	[]tr{
		{"يعتني الأعضاء بالواحة وخطاراتها، وتفرز التمور يدويا وتعبأ دون مواد حافظة.",
			"Les membres entretiennent la palmeraie et ses khettaras ; les dattes sont triées à la main et conditionnées sans conservateur.",
			"The members tend the palm grove and its khettara channels; the dates are sorted by hand and packed without preservatives.",
			"Los socios cuidan el palmeral y sus khettaras; los dátiles se seleccionan a mano y se envasan sin conservantes."},
		{"تجنى العراجين في أكتوبر وتجفف في الظل داخل مخزن التعاونية المبرد.",
			"Les régimes sont récoltés en octobre et ressuient à l'ombre dans l'entrepôt frigorifique de la coopérative.",
			"The bunches are harvested in October and cured in the shade of the cooperative's cold store.",
			"Los racimos se cosechan en octubre y se orean a la sombra en el almacén frigorífico de la cooperativa."},
	},
	[]string{"dates-majhoul", "dates-bouffeggous", "date-paste"}}

var figuigTrade = &trade{vendor.Cooperative, "Coopérative %s des dattes de Figuig", coopName, farmers,
	[]tr{
		{"تسقى نخيل قصور فكيك من العيون بنظام تناوب عريق، وتجنى تمور عزيزة بوزيد في آخر الخريف.",
			"Les palmiers des ksour de Figuig sont irrigués par les sources selon un tour d'eau séculaire ; l'Aziza Bouzid se récolte à la fin de l'automne.",
			"The palms of the Figuig ksour are watered from the springs by an age-old rota; Aziza Bouzid dates are picked in late autumn.",
			"Las palmeras de los ksur de Figuig se riegan de los manantiales según un turno de agua secular; la Aziza Bouzid se cosecha a finales de otoño."},
	},
	[]string{"dates-aziza", "date-paste"}}

var roseTrade = &trade{vendor.Cooperative, "Coopérative %s pour la distillation de la rose", coopName, women,
	[]tr{
		{"في وادي الورود، يقطر محصول شهر ماي في اليوم نفسه في إنبيق التعاونية.",
			"Dans la vallée des roses, la cueillette de mai est distillée le jour même dans l'alambic de la coopérative.",
			"In the Valley of Roses, the May harvest is distilled the same day in the cooperative's still.",
			"En el valle de las rosas, la cosecha de mayo se destila el mismo día en el alambique de la cooperativa."},
		{"تقطف العضوات الورد الدمشقي من السياجات قبل شروق الشمس، حين يكون عطره في أوجه.",
			"Les membres cueillent la rose de Damas dans les haies avant le lever du soleil, quand son parfum est au plus fort.",
			"The members pick Damask roses from the hedgerows before sunrise, when their scent is strongest.",
			"Las socias recogen la rosa de Damasco en los setos antes del amanecer, cuando su aroma es más intenso."},
	},
	[]string{"rose-water", "rose-cream", "dried-roses"}}

var rugTrade = &trade{vendor.Cooperative, "Coopérative féminine %s de tissage de tapis", coopName, women,
	[]tr{
		{"تغزل النساجات صوف أغنامهن وتعقدن الزرابي على أنوال عمودية، وكل زخرفة تحكي عن القبيلة.",
			"Les tisserandes filent la laine de leurs moutons et nouent les tapis sur des métiers verticaux ; chaque motif raconte la tribu.",
			"The weavers spin the wool of their own sheep and knot the rugs on upright looms; every pattern tells of the tribe.",
			"Las tejedoras hilan la lana de sus ovejas y anudan las alfombras en telares verticales; cada motivo cuenta la tribu."},
		{"تستغرق زربية من مترين قرابة شهرين من العمل لامرأتين على النول.",
			"Un tapis de deux mètres demande près de deux mois de travail à deux femmes sur le métier.",
			"A two-metre rug takes two women nearly two months at the loom.",
			"Una alfombra de dos metros requiere casi dos meses de trabajo de dos mujeres en el telar."},
	},
	[]string{"rug-beni-ouarain", "handira", "kilim", "cushion"}}

var azilalTrade = &trade{vendor.Cooperative, "Coopérative féminine %s de tissage", coopName, women,
	[]tr{
		{"في الوادي السعيد، تنسج النساء زرابي أزيلال البيضاء بزخارف ملونة يبتكرنها بلا رسم مسبق.",
			"Dans la vallée heureuse, les femmes nouent les tapis blancs d'Azilal aux motifs colorés qu'elles inventent sans modèle.",
			"In the Happy Valley the women knot white Azilal rugs with bright motifs they make up without a pattern.",
			"En el valle feliz, las mujeres anudan las alfombras blancas de Azilal con motivos de colores que inventan sin modelo."},
	},
	[]string{"rug-azilal", "kilim", "cushion"}}

var zemmourTrade = &trade{vendor.Cooperative, "Coopérative féminine %s de tissage", coopName, women,
	[]tr{
		{"تنسج نساء زمور الحنبل الأحمر بخطوطه الهندسية كما تعلمنه من جداتهن.",
			"Les femmes des Zemmour tissent le hanbel rouge à bandes géométriques comme leurs grands-mères le leur ont appris.",
			"The Zemmour women weave the red hanbel with geometric bands as their grandmothers taught them.",
			"Las mujeres zemmour tejen el hanbel rojo de franjas geométricas como les enseñaron sus abuelas."},
	},
	[]string{"rug-zemmour", "kilim", "cushion"}}

var northWeaving = &trade{vendor.Cooperative, "Coopérative %s de tissage traditionnel", coopName, crafters,
	[]tr{
		{"على أنوال بالدواسات، ينسج حرفيو الجبل الأغطية والفوطات من الصوف والقطن بخطوط زرقاء.",
			"Sur des métiers à pédales, les tisserands de la montagne font couvertures et foutas de laine et de coton à rayures bleues.",
			"On treadle looms, the mountain weavers make blankets and foutas of wool and cotton with blue stripes.",
			"En telares de pedal, los tejedores de la montaña hacen mantas y foutas de lana y algodón a rayas azules."},
	},
	[]string{"fouta", "blanket", "cushion"}}

var basketTrade = &trade{vendor.Cooperative, "Coopérative %s de vannerie", coopName, crafters,
	[]tr{
		{"يضفر الحرفيون سعف الدوم المجفف ويزينون القبعات الجبلية بخيوط الصوف الملونة.",
			"Les artisans tressent les feuilles de palmier doum séchées et ornent les chapeaux jeblis de pompons de laine colorée.",
			"The artisans plait dried doum palm leaves and trim the Jebli hats with coloured wool pompoms.",
			"Los artesanos trenzan hojas secas de palmito y adornan los sombreros yebli con borlas de lana de colores."},
	},
	[]string{"jebli-hat", "doum-basket"}}

var oliveTrade = &trade{vendor.Cooperative, "Coopérative agricole %s pour l'huile d'olive", coopName, farmers,
	[]tr{
		{"تعصر زيتونات البيشولين من بساتين الجبل على البارد في أقل من أربع وعشرين ساعة بعد الجني.",
			"Les olives picholine des vergers de montagne sont pressées à froid moins de vingt-quatre heures après la cueillette.",
			"Picholine olives from mountain orchards are cold-pressed within twenty-four hours of picking.",
			"Las aceitunas picholine de los huertos de montaña se prensan en frío en menos de veinticuatro horas tras la cosecha."},
		{"تتوفر التعاونية على معصرة حديثة مشتركة، فلم يعد الأعضاء يبيعون زيتونهم للوسطاء.",
			"La coopérative s'est équipée d'un moulin moderne commun : ses membres ne vendent plus leurs olives aux intermédiaires.",
			"The cooperative has its own modern mill, so its members no longer sell their olives to middlemen.",
			"La cooperativa tiene su propia almazara moderna, así que sus socios ya no venden sus aceitunas a intermediarios."},
	},
	[]string{"olive-oil", "olives"}}

var honeyTrade = &trade{vendor.Cooperative, "Coopérative apicole %s", coopName, farmers,
	[]tr{
		{"تتنقل المناحل بين الدغموس والزعتر والسدر، ويستخلص العسل على البارد دون تسخين.",
			"Les ruchers transhument entre l'euphorbe, le thym et le jujubier ; le miel est extrait à froid et jamais chauffé.",
			"The hives move between euphorbia, thyme and jujube; the honey is cold-extracted and never heated.",
			"Las colmenas trashuman entre euforbia, tomillo y azufaifo; la miel se extrae en frío y nunca se calienta."},
		{"يربي الأعضاء النحلة الصفراء المحلية في خلايا تقليدية وحديثة.",
			"Les membres élèvent l'abeille jaune saharienne locale, en ruches traditionnelles et modernes.",
			"The members keep the local yellow Saharan bee, in both traditional and modern hives.",
			"Los socios crían la abeja amarilla sahariana local, en colmenas tradicionales y modernas."},
	},
	[]string{"honey-euphorbia", "honey-thyme", "amlou"}}

var arbutusTrade = &trade{vendor.Cooperative, "Coopérative apicole %s", coopName, farmers,
	[]tr{
		{"تقع المناحل في غابات جبل مولاي عبد السلام، حيث يزهر القطلب في آخر الخريف.",
			"Les ruchers sont installés dans les forêts du Jbel Moulay Abdessalam, où l'arbousier fleurit à la fin de l'automne.",
			"The hives stand in the forests of Jbel Moulay Abdessalam, where the strawberry tree flowers in late autumn.",
			"Los colmenares están en los bosques del Yebel Mulay Abdeslam, donde el madroño florece a finales de otoño."},
	},
	[]string{"honey-arbutus", "honey-thyme"}}

var cactusTrade = &trade{vendor.Cooperative, "Coopérative %s pour la valorisation du figuier de Barbarie", coopName, women,
	[]tr{
		{"في أراضي آيت باعمران الجافة، يلزم قرابة طن من الثمار لاستخراج لتر واحد من زيت بذور الصبار.",
			"Sur les terres arides des Aït Baâmrane, il faut près d'une tonne de fruits pour un litre d'huile de pépins de figue de Barbarie.",
			"On the dry lands of the Ait Baamrane it takes nearly a tonne of fruit to make one litre of prickly pear seed oil.",
			"En las tierras áridas de los Ait Baamrane hace falta casi una tonelada de fruta para un litro de aceite de semilla de higo chumbo."},
	},
	[]string{"cactus-oil", "black-soap"}}

var couscousTrade = &trade{vendor.Cooperative, "Coopérative féminine %s pour le couscous et les produits du terroir", coopName, women,
	[]tr{
		{"تفتل النساء الكسكس يدويا من القمح الصلب والشعير من الحقول المجاورة، ويجفف تحت الشمس.",
			"Les femmes roulent le couscous à la main avec le blé dur et l'orge des champs voisins, puis le sèchent au soleil.",
			"The women hand-roll couscous from the durum wheat and barley of nearby fields and dry it in the sun.",
			"Las mujeres amasan el cuscús a mano con trigo duro y cebada de los campos vecinos y lo secan al sol."},
	},
	[]string{"couscous", "herbal-tea"}}

var pulseTrade = &trade{vendor.Cooperative, "Coopérative agricole %s des légumineuses et céréales", coopName, farmers,
	[]tr{
		{"تزرع العدسة في أراضي زعير البورية دون سقي، وتنقى الحبوب وتغربل في مقر التعاونية.",
			"Les lentilles poussent en sec sur les terres des Zaër ; les grains sont nettoyés et calibrés à la coopérative.",
			"The lentils grow unirrigated on the Zaer lands; the grains are cleaned and graded at the cooperative.",
			"Las lentejas crecen en secano en las tierras de los Zaer; los granos se limpian y calibran en la cooperativa."},
	},
	[]string{"lentils", "couscous"}}

var ghassoulTrade = &trade{vendor.Cooperative, "Coopérative %s du ghassoul", coopName, women,
	[]tr{
		{"يستخرج الطين من مناجم ملوية، وتنقعه العضوات مع الأعشاب قبل تجفيفه في الشمس.",
			"L'argile est extraite des gisements de la Moulouya ; les membres la font macérer avec des herbes avant de la sécher au soleil.",
			"The clay comes from the Moulouya deposits; the members steep it with herbs before drying it in the sun.",
			"La arcilla procede de los yacimientos del Muluya; las socias la maceran con hierbas antes de secarla al sol."},
	},
	[]string{"ghassoul", "black-soap"}}

var rosemaryTrade = &trade{vendor.Cooperative, "Coopérative %s des plantes aromatiques et médicinales", coopName, farmers,
	[]tr{
		{"يقطف إكليل الجبل من الهضاب العليا للشرق بترخيص من المياه والغابات، ويقطر في عين المكان.",
			"Le romarin des hauts plateaux de l'Oriental est cueilli sous licence des Eaux et Forêts et distillé sur place.",
			"Rosemary from the Oriental high plateaus is gathered under a forestry licence and distilled on the spot.",
			"El romero de las altiplanicies del Oriental se recoge con licencia forestal y se destila en el lugar."},
	},
	[]string{"rosemary-oil", "herbal-tea"}}

var hennaTrade = &trade{vendor.Cooperative, "Coopérative féminine %s du henné", coopName, women,
	[]tr{
		{"تزرع الحناء في واحات طاطا، وتجفف أوراقها في الظل ثم تطحن طحنا دقيقا.",
			"Le henné est cultivé dans les oasis de Tata ; ses feuilles sèchent à l'ombre puis sont moulues très finement.",
			"Henna is grown in the oases of Tata; its leaves are dried in the shade, then ground very fine.",
			"La henna se cultiva en los oasis de Tata; sus hojas se secan a la sombra y luego se muelen muy finas."},
	},
	[]string{"henna", "herbal-tea"}}

var cuminTrade = &trade{vendor.Cooperative, "Coopérative agricole %s des épices", coopName, farmers,
	[]tr{
		{"يزرع الكمون البلدي في سهول الرحامنة البورية ويدرس ويغربل يدويا.",
			"Le cumin beldi pousse en sec dans les plaines des Rhamna ; il est battu et vanné à la main.",
			"Beldi cumin grows unirrigated on the Rhamna plains and is threshed and winnowed by hand.",
			"El comino beldi crece en secano en las llanuras de los Rhamna y se trilla y aventa a mano."},
	},
	[]string{"cumin", "ras-el-hanout"}}

var saltTrade = &trade{vendor.Cooperative, "Coopérative des sauniers %s", coopName, farmers,
	[]tr{
		{"في ملاحات البحيرة، يجمع الملاحون زهرة الملح باليد في الصيف، حين تهب الرياح الشمالية.",
			"Dans les salines de la lagune, les sauniers récoltent la fleur de sel à la main l'été, quand souffle le vent du nord.",
			"In the lagoon salt pans, the salt workers rake the fleur de sel by hand in summer, when the north wind blows.",
			"En las salinas de la laguna, los salineros recogen la flor de sal a mano en verano, cuando sopla el viento del norte."},
	},
	[]string{"fleur-de-sel", "ras-el-hanout"}}

var seaTrade = &trade{vendor.Cooperative, "Coopérative des marins-pêcheurs %s", coopName, fishers,
	[]tr{
		{"يصطاد البحارة على قوارب صغيرة ويحضر السمك في اليوم نفسه في وحدة التعاونية المرخصة.",
			"Les pêcheurs sortent en barques et le poisson est préparé le jour même dans l'unité agréée de la coopérative.",
			"The fishers go out in small boats and the fish is prepared the same day in the cooperative's licensed unit.",
			"Los pescadores salen en barcas y el pescado se prepara el mismo día en la unidad autorizada de la cooperativa."},
	},
	[]string{"anchovies", "sardines"}}

var embroideryTrade = &trade{vendor.Cooperative, "Coopérative féminine %s de broderie", coopName, women,
	[]tr{
		{"تطرز العضوات بالغرزة التقليدية للمدينة خيطا بخيط، على الكتان والقطن.",
			"Les brodeuses travaillent au point traditionnel de la ville, fil compté, sur lin et coton.",
			"The embroiderers work the town's traditional counted-thread stitch on linen and cotton.",
			"Las bordadoras trabajan el punto tradicional de la ciudad, a hilo contado, sobre lino y algodón."},
	},
	[]string{"embroidered-cushion", "embroidered-tablecloth"}}

var sahrawiTrade = &trade{vendor.Cooperative, "Coopérative %s d'artisanat sahraoui", coopName, women,
	[]tr{
		{"تحافظ الصانعات على فن الجلد المصبوغ والوسائد المطرزة والحلي الفضية للخيام الكبرى في الصحراء.",
			"Les artisanes perpétuent le cuir teint, les coussins brodés et les bijoux d'argent des grandes tentes du désert.",
			"The craftswomen keep alive the dyed leatherwork, embroidered cushions and silver jewellery of the great desert tents.",
			"Las artesanas mantienen vivo el cuero teñido, los cojines bordados y la joyería de plata de las grandes jaimas del desierto."},
		{"تعلمت الصانعات استعمال المنصة الرقمية لتتبع شحناتهن وتلقي الأداء الإلكتروني.",
			"Les artisanes ont appris à suivre leurs envois et à recevoir les paiements électroniques sur la plateforme.",
			"The craftswomen have learned to track their shipments and take electronic payment on the platform.",
			"Las artesanas aprendieron a seguir sus envíos y a cobrar pagos electrónicos en la plataforma."},
	},
	[]string{"sahrawi-cushion", "melhfa", "sahrawi-bag"}}

var tamegrouteTrade = &trade{vendor.Cooperative, "Coopérative %s des potiers", coopName, crafters,
	[]tr{
		{"يشكل الفخارون طين الواحة ويطلونه بالتزجيج الأخضر الشهير، ثم يطهونه في أفران الحطب الجماعية.",
			"Les potiers façonnent l'argile de l'oasis, la couvrent du célèbre émail vert et la cuisent dans les fours à bois collectifs.",
			"The potters shape the oasis clay, cover it with the famous green glaze and fire it in the shared wood kilns.",
			"Los alfareros moldean la arcilla del oasis, la cubren con el célebre esmalte verde y la cuecen en los hornos de leña comunes."},
	},
	[]string{"green-pottery", "tagine"}}

var potteryTrade = &trade{vendor.Artisan, "Atelier de poterie %s", workshopName, family,
	[]tr{
		{"يشكل المعلم كل قطعة على الدولاب ويزججها يدويا ثم يطهوها في فرن الحطب.",
			"Le maâlem tourne chaque pièce, l'émaille à la main et la cuit au four à bois.",
			"The maalem throws every piece on the wheel, glazes it by hand and fires it in a wood kiln.",
			"El maalem tornea cada pieza, la esmalta a mano y la cuece en horno de leña."},
	},
	[]string{"tagine", "serving-plate", "fes-blue-plate"}}

var zelligeTrade = &trade{vendor.Artisan, "Atelier de zellige et tadelakt %s", tr{"ورشة %s للزليج والتادلاكت", "Atelier %s, zellige et tadelakt", "%s Zellige and Tadelakt", "Taller %s de zellige y tadelakt"}, family,
	[]tr{
		{"يقطع المعلم كل قطعة زليج بالمطرقة ويركب الموائد والنافورات وفق الهندسة الفاسية.",
			"Le maâlem taille chaque tesselle au marteau et compose tables et fontaines selon la géométrie fassie.",
			"The maalem cuts every tile by hammer and builds tables and fountains in the geometry of Fez.",
			"El maalem talla cada tesela a martillo y compone mesas y fuentes según la geometría de Fez."},
	},
	[]string{"zellige-table", "zellige-tiles", "tadelakt-basin"}}

var tadelaktTrade = &trade{vendor.Artisan, "Atelier de tadelakt %s", workshopName, family,
	[]tr{
		{"يصقل الحرفي جير مراكش بالحجر والصابون البلدي حتى يصير لامعا ولا ينفذ إليه الماء.",
			"L'artisan polit la chaux de Marrakech au galet et au savon noir jusqu'à la rendre brillante et étanche.",
			"The craftsman polishes Marrakech lime with a pebble and black soap until it shines and holds water.",
			"El artesano pule la cal de Marrakech con un guijarro y jabón negro hasta dejarla brillante e impermeable."},
	},
	[]string{"tadelakt-basin", "tadelakt-soapdish"}}

var leatherTrade = &trade{vendor.Artisan, "Maroquinerie %s", tr{"دار الجلد %s", "Maroquinerie %s", "%s Leather", "Marroquinería %s"}, family,
	[]tr{
		{"يدبغ الجلد في الدباغات التقليدية بالجير والأصباغ النباتية ثم يخاط يدويا.",
			"Le cuir est tanné dans les tanneries traditionnelles à la chaux et aux teintures végétales, puis cousu main.",
			"The leather is tanned in the traditional tanneries with lime and plant dyes, then stitched by hand.",
			"El cuero se curte en las tenerías tradicionales con cal y tintes vegetales y se cose a mano."},
	},
	[]string{"babouches", "leather-bag", "pouf"}}

var cedarTrade = &trade{vendor.Artisan, "Ébénisterie %s du cèdre", tr{"نجارة %s", "Ébénisterie %s", "%s Cedar Woodwork", "Ebanistería %s"}, family,
	[]tr{
		{"تشتغل الورشة على خشب أرز الأطلس المتساقط، المنحوت والمحفور يدويا.",
			"L'atelier travaille le cèdre de l'Atlas issu de bois tombé, sculpté et ciselé à la main.",
			"The workshop works fallen Atlas cedar, carved and chiselled by hand.",
			"El taller trabaja cedro del Atlas de madera caída, tallado y cincelado a mano."},
	},
	[]string{"cedar-tray", "cedar-mirror"}}

var thuyaTrade = &trade{vendor.Artisan, "Marqueterie %s", tr{"ورشة %s للعرعار", "Marqueterie %s", "%s Thuya Inlay", "Taracea %s"}, family,
	[]tr{
		{"تصنع الورشة علبها من عروق العرعار الصويري وتطعمها بخشب الليمون والصدف.",
			"L'atelier façonne ses coffrets dans la loupe de thuya d'Essaouira et les marquette de citronnier et de nacre.",
			"The workshop makes its boxes from Essaouira thuya burl, inlaid with lemonwood and mother-of-pearl.",
			"El taller hace sus cajas con raíz de tuya de Esauira, con taracea de limonero y nácar."},
	},
	[]string{"thuya-box", "thuya-chess"}}

var silverTrade = &trade{vendor.Artisan, "Atelier d'orfèvrerie %s", tr{"ورشة %s للفضة", "Orfèvrerie %s", "%s Silversmiths", "Platería %s"}, family,
	[]tr{
		{"ينقش الصائغ الفضة ويطليها بالمينا على طريقة صياغة تيزنيت العريقة.",
			"L'orfèvre cisèle l'argent et l'émaille à la manière des bijoutiers de Tiznit.",
			"The silversmith chases the silver and enamels it in the manner of the Tiznit jewellers.",
			"El orfebre cincela la plata y la esmalta a la manera de los joyeros de Tiznit."},
	},
	[]string{"silver-bracelet", "silver-fibula"}}

var metalTrade = &trade{vendor.Artisan, "Dinanderie %s", tr{"ورشة %s للنحاس", "Dinanderie %s", "%s Metalwork", "Taller de metal %s"}, family,
	[]tr{
		{"يخرم الحرفي النحاس الأصفر باليد وفق رسوم يرسمها بالبركار، ثم يلحمه ويصقله.",
			"L'artisan ajoure le laiton à la main selon des tracés au compas, puis le soude et le polit.",
			"The craftsman pierces the brass by hand along compass-drawn patterns, then solders and polishes it.",
			"El artesano calada el latón a mano según trazos a compás y luego lo suelda y lo pule."},
	},
	[]string{"lantern", "teapot"}}

var exportFood = &trade{vendor.Exporter, "%s Export SARL", tr{"شركة %s للتصدير", "%s Export", "%s Export", "%s Export"}, company,
	[]tr{
		{"تجمع الشركة منتجات التعاونيات الشريكة وتراقبها في مختبرها قبل شحنها.",
			"La société rassemble les produits des coopératives partenaires et les fait analyser en laboratoire avant l'expédition.",
			"The company gathers the products of partner cooperatives and has them laboratory-tested before shipping.",
			"La empresa reúne los productos de las cooperativas socias y los analiza en laboratorio antes del envío."},
	},
	[]string{"argan-culinary", "argan-cosmetic", "saffron", "dates-majhoul", "olive-oil", "ras-el-hanout", "honey-thyme", "couscous"}}

var exportCrafts = &trade{vendor.Exporter, "%s SARL", tr{"شركة %s", "%s", "%s", "%s"}, company,
	[]tr{
		{"تختار الشركة قطعها لدى الحرفيين مباشرة وتتكفل بالتغليف والتصدير والإجراءات الجمركية.",
			"La société choisit ses pièces directement chez les artisans et se charge de l'emballage, de l'export et du dédouanement.",
			"The company chooses its pieces directly from the craftspeople and handles packing, export and customs.",
			"La empresa elige sus piezas directamente a los artesanos y se encarga del embalaje, la exportación y la aduana."},
	},
	[]string{"rug-beni-ouarain", "kilim", "tagine", "babouches", "lantern", "pouf"}}

var publisherTrade = &trade{vendor.Publisher, "%s SARL", tr{"%s", "%s", "%s", "%s"}, house,
	[]tr{
		{"تنشر الدار الروايات والدراسات وكتب الأطفال، وتحرص على ترجمة الأدب المغربي.",
			"La maison publie romans, essais et livres pour la jeunesse, et traduit la littérature marocaine.",
			"The house publishes novels, essays and children's books, and translates Moroccan literature.",
			"La editorial publica novelas, ensayos y libros infantiles, y traduce la literatura marroquí."},
	}, nil}

var booksellerTrade = &trade{vendor.Publisher, "%s SARL", tr{"%s", "%s", "%s", "%s"}, shop,
	[]tr{
		{"يختار الكتبيون كل عنوان بعناية وينصحون القراء في المكتبة كما على الإنترنت.",
			"Les libraires choisissent chaque titre et conseillent les lecteurs en boutique comme en ligne.",
			"The booksellers choose every title and advise readers in the shop and online.",
			"Los libreros eligen cada título y aconsejan a los lectores en la tienda y en línea."},
	}, nil}

// foundings open a vendor's story. {year}, {n} (founders), {members} and {at}
// are filled in; numbers stay between 11 and 99 so the Arabic counted noun
// is singular, as the grammar wants.
var foundings = map[founders][]tr{
	women: {
		{"أسستها {n} امرأة من {at} سنة {year}، وتضم التعاونية اليوم {members} عضوة.",
			"Fondée en {year} par {n} femmes de {at}, la coopérative compte aujourd'hui {members} membres.",
			"Founded in {year} by {n} women from {at}, the cooperative now has {members} members.",
			"Fundada en {year} por {n} mujeres de {at}, la cooperativa reúne hoy a {members} socias."},
		{"منذ سنة {year}، انتظمت نساء {at} في تعاونية: كن {n} امرأة في البداية، وصرن اليوم {members} عضوة.",
			"Depuis {year}, les femmes de {at} travaillent en coopérative : elles étaient {n} au départ, elles sont {members} aujourd'hui.",
			"Since {year} the women of {at} have worked as a cooperative: {n} at the start, {members} today.",
			"Desde {year}, las mujeres de {at} trabajan en cooperativa: eran {n} al principio y hoy son {members}."},
	},
	farmers: {
		{"أسستها {n} أسرة فلاحية من {at} سنة {year}، وتضم التعاونية اليوم {members} منخرطا.",
			"Créée en {year} par {n} familles d'agriculteurs de {at}, la coopérative réunit aujourd'hui {members} adhérents.",
			"Set up in {year} by {n} farming families from {at}, the cooperative now brings together {members} members.",
			"Creada en {year} por {n} familias campesinas de {at}, la cooperativa agrupa hoy a {members} socios."},
		{"تأسست التعاونية سنة {year} حين قرر {n} منتجا من {at} تسويق منتوجهم معا، وتضم اليوم {members} منخرطا.",
			"La coopérative est née en {year}, quand {n} producteurs de {at} ont décidé de vendre ensemble ; elle compte aujourd'hui {members} adhérents.",
			"The cooperative began in {year}, when {n} growers from {at} decided to sell together; it now has {members} members.",
			"La cooperativa nació en {year}, cuando {n} productores de {at} decidieron vender juntos; hoy cuenta con {members} socios."},
	},
	crafters: {
		{"أسسها {n} صانعا وصانعة من {at} سنة {year}، وتعيل التعاونية اليوم {members} أسرة.",
			"Fondée en {year} par {n} artisans et artisanes de {at}, la coopérative fait vivre aujourd'hui {members} familles.",
			"Founded in {year} by {n} craftsmen and women of {at}, the cooperative now supports {members} families.",
			"Fundada en {year} por {n} artesanos y artesanas de {at}, la cooperativa sostiene hoy a {members} familias."},
		{"سنة {year}، جمع {n} صانعا من {at} أدواتهم وطلبياتهم في تعاونية واحدة، وعددهم اليوم {members}.",
			"En {year}, {n} artisans de {at} ont mis en commun leurs outils et leurs commandes ; ils sont {members} aujourd'hui.",
			"In {year}, {n} artisans from {at} pooled their tools and their orders; there are {members} of them today.",
			"En {year}, {n} artesanos de {at} pusieron en común sus herramientas y sus pedidos; hoy son {members}."},
	},
	fishers: {
		{"أسسها {n} بحارا من صيادي {at} سنة {year}، وتضم التعاونية اليوم {members} منخرطا.",
			"Créée en {year} par {n} marins-pêcheurs de {at}, la coopérative compte aujourd'hui {members} adhérents.",
			"Set up in {year} by {n} small-boat fishers from {at}, the cooperative now has {members} members.",
			"Creada en {year} por {n} pescadores artesanales de {at}, la cooperativa cuenta hoy con {members} socios."},
	},
	family: {
		{"فتحت الورشة أبوابها في {at} سنة {year}، وتتوارث فيها الحرفة منذ {gen}، ويشتغل فيها اليوم {members} صانعا.",
			"L'atelier a ouvert ses portes à {at} en {year} ; le métier s'y transmet depuis {gen} et {members} artisans y travaillent aujourd'hui.",
			"The workshop opened in {at} in {year}; the craft has been handed down for {gen}, and {members} artisans work there today.",
			"El taller abrió en {at} en {year}; el oficio se transmite desde hace {gen} y hoy trabajan en él {members} artesanos."},
		{"تعلم المؤسس الحرفة صغيرا في ورشات {at} قبل أن يفتح ورشته سنة {year}، وهو يكوّن اليوم {members} متعلما.",
			"Maâlem reconnu, le fondateur a appris le métier enfant dans les ateliers de {at} avant d'ouvrir le sien en {year} ; il forme aujourd'hui {members} apprentis.",
			"A recognised maalem, the founder learned the craft as a child in the workshops of {at} before opening his own in {year}; he now trains {members} apprentices.",
			"Maalem reconocido, el fundador aprendió el oficio de niño en los talleres de {at} antes de abrir el suyo en {year}; hoy forma a {members} aprendices."},
	},
	company: {
		{"تأسست الشركة سنة {year} في {at}، وتصدر منتجات {members} تعاونية شريكة نحو أوروبا وكندا ودول الخليج.",
			"Créée en {year} à {at}, la société exporte les produits de {members} coopératives partenaires vers l'Europe, le Canada et les pays du Golfe.",
			"Founded in {year} in {at}, the company exports the products of {members} partner cooperatives to Europe, Canada and the Gulf.",
			"Fundada en {year} en {at}, la empresa exporta los productos de {members} cooperativas socias a Europa, Canadá y los países del Golfo."},
		{"مصدر معتمد منذ سنة {year}، تتعامل الشركة مع {members} تعاونية من مختلف جهات المملكة، وتشحن بالجملة والتقسيط.",
			"Exportateur agréé depuis {year}, la société travaille avec {members} coopératives de tout le pays et expédie en vrac comme au détail.",
			"A licensed exporter since {year}, the company works with {members} cooperatives across the country and ships in bulk as well as retail.",
			"Exportador autorizado desde {year}, la empresa trabaja con {members} cooperativas de todo el país y envía tanto a granel como al por menor."},
	},
	house: {
		{"تأسست الدار في {at} سنة {year}، وأصدرت أكثر من {titles} عنوانا، وتتعامل مع الكتبيين في مختلف مدن المغرب.",
			"Fondée à {at} en {year}, la maison a publié plus de {titles} titres et travaille avec les libraires de tout le Maroc.",
			"Founded in {at} in {year}, the house has published more than {titles} titles and works with booksellers all over Morocco.",
			"Fundada en {at} en {year}, la editorial ha publicado más de {titles} títulos y trabaja con libreros de todo Marruecos."},
	},
	shop: {
		{"مكتبة فتحت أبوابها في {at} سنة {year}، توزع إصدارات الناشرين المغاربة وتعرض أكثر من {titles} عنوانا.",
			"Librairie ouverte à {at} en {year}, elle diffuse les éditeurs marocains et propose plus de {titles} titres.",
			"A bookshop opened in {at} in {year}; it carries Moroccan publishers and stocks more than {titles} titles.",
			"Librería abierta en {at} en {year}; distribuye a los editores marroquíes y ofrece más de {titles} títulos."},
	},
}

// generations fill {gen} in a family workshop's story.
var generations = []tr{
	{"جيلين", "deux générations", "two generations", "dos generaciones"},
	{"ثلاثة أجيال", "trois générations", "three generations", "tres generaciones"},
	{"أربعة أجيال", "quatre générations", "four generations", "cuatro generaciones"},
}

// closings may end a story: one more true-sounding fact.
var closings = map[founders][]tr{
	women: {
		{"يمول جزء من الأرباح دروس محو الأمية لفائدة العضوات.", "Une partie des bénéfices finance des cours d'alphabétisation pour les membres.", "Part of the profits pays for literacy classes for the members.", "Parte de los beneficios financia clases de alfabetización para las socias."},
		{"تبيع التعاونية منتجاتها أيضا في المتاجر التضامنية بالدار البيضاء.", "La coopérative vend aussi dans les magasins solidaires de Casablanca.", "The cooperative also sells in the solidarity shops of Casablanca.", "La cooperativa también vende en las tiendas solidarias de Casablanca."},
		{"استفادت العضوات من تكوين في التجارة الإلكترونية ويتابعن مبيعاتهن من هواتفهن.", "Les membres ont suivi la formation au commerce en ligne et suivent leurs ventes sur leur téléphone.", "The members took the online-selling training and follow their sales on their phones.", "Las socias siguieron la formación en venta en línea y siguen sus ventas desde el teléfono."},
	},
	farmers: {
		{"تتوصل التعاونية بمستحقاتها في أجل 72 ساعة عن كل بيع عبر الإنترنت.", "La coopérative est payée sous 72 heures pour chaque vente en ligne.", "The cooperative is paid within 72 hours for every online sale.", "La cooperativa cobra en 72 horas cada venta en línea."},
		{"تتم مراقبة كل دفعة قبل الشحن وفق دفتر التحملات.", "Chaque lot est contrôlé avant expédition, conformément au cahier des charges.", "Every batch is checked before shipping, as the specifications require.", "Cada lote se controla antes del envío, según el pliego de condiciones."},
	},
	crafters: {
		{"تبيع التعاونية منتجاتها أيضا في المتاجر التضامنية بالدار البيضاء.", "La coopérative vend aussi dans les magasins solidaires de Casablanca.", "The cooperative also sells in the solidarity shops of Casablanca.", "La cooperativa también vende en las tiendas solidarias de Casablanca."},
		{"يمكن صنع كل قطعة حسب الطلب.", "Chaque pièce peut être faite sur commande.", "Every piece can be made to order.", "Cada pieza puede hacerse por encargo."},
	},
	fishers: {
		{"تحترم التعاونية فترات الراحة البيولوجية ولا تصطاد إلا الأسماك بالحجم القانوني.", "La coopérative respecte les repos biologiques et ne pêche que des poissons de taille légale.", "The cooperative keeps to the closed seasons and lands only fish of legal size.", "La cooperativa respeta las vedas y solo pesca ejemplares de talla legal."},
	},
	family: {
		{"كل قطعة تحمل توقيع الصانع ويمكن صنعها حسب الطلب.", "Chaque pièce est signée et peut être faite sur mesure.", "Every piece is signed and can be made to order.", "Cada pieza va firmada y puede hacerse por encargo."},
		{"نالت الورشة جائزة في المعرض الوطني للصناعة التقليدية.", "L'atelier a été primé au salon national de l'artisanat.", "The workshop has won a prize at the national crafts fair.", "El taller fue premiado en la feria nacional de artesanía."},
		{"أصبحت الورشة تبيع عبر الإنترنت دون وسيط، داخل المغرب وخارجه.", "L'atelier vend désormais en ligne, sans intermédiaire, au Maroc et à l'étranger.", "The workshop now sells online, without a middleman, in Morocco and abroad.", "El taller vende ahora en línea, sin intermediarios, en Marruecos y en el extranjero."},
	},
	company: {
		{"تتوصل التعاونيات الشريكة بمستحقاتها في أجل عشرة أيام.", "Les coopératives partenaires sont payées sous dix jours.", "Partner cooperatives are paid within ten days.", "Las cooperativas socias cobran en un plazo de diez días."},
		{"عروض أسعار عند الطلب للمستوردين وسلاسل المتاجر.", "Devis sur demande pour les importateurs et les chaînes de magasins.", "Quotes on request for importers and store chains.", "Presupuestos a petición para importadores y cadenas de tiendas."},
	},
	house: {
		{"توزع كتبها في المكتبات المنخرطة في اتحاد الكتبيين.", "Ses livres sont diffusés par les librairies de l'union des libraires.", "Its books are sold through the bookshops of the booksellers' union.", "Sus libros se venden en las librerías de la unión de libreros."},
		{"تنشر بالعربية والفرنسية والأمازيغية.", "Elle publie en arabe, en français et en amazighe.", "It publishes in Arabic, French and Amazigh.", "Publica en árabe, francés y amazigh."},
	},
	shop: {
		{"تسلم المكتبة الطلبيات في جميع أنحاء المغرب.", "La librairie livre partout au Maroc.", "The bookshop delivers anywhere in Morocco.", "La librería entrega en todo Marruecos."},
	},
}
