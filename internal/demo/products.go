package demo

// A template is a kind of product a trade makes: its category (a slug of
// the reference data), tax class, titles and opening sentences in four
// languages, sizes with prices, and the labels it may carry.
type template struct {
	category string
	group    group  // which shared sentences fit it
	tax      string // tax class when a cooperative sells it
	taxTrade string // tax class for artisans and exporters; "" = tax
	sku      string // SKU prefix
	names    []tr
	intros   []tr
	sizes    []size
	certs    []cert
}

// group sorts templates for the shared description sentences.
type group int

const (
	food group = iota
	cosmetic
	textile
	craft
)

// size is one variant: its label, its price range in whole dirhams, its
// shipping weight in grams and its parcel in millimetres.
type size struct {
	label    string
	min, max int // MAD
	grams    int
	l, w, h  int
}

// cert is a label a product may carry: kind (catalog.CertificationKinds),
// issuer, number pattern ('#' is a random digit), how often it is carried,
// and the regions whose vendors may claim it (nil: any).
type cert struct {
	kind, issuer, number string
	pct                  int
	regions              []string
}

// Labels and authorisations. Protected origins are those of the Moroccan
// register (law 25-06), certified by Normacert.
var (
	onssa     = cert{"onssa", "ONSSA", "AS.##.###.##", 70, nil}
	organic   = cert{"organic", "", "", 30, nil} // issuer: organicIssuers
	fairTrade = cert{"fair_trade", "WFTO", "WFTO-MA-###", 25, nil}
	halal     = cert{"halal", "IMANOR — Halal Maroc", "HL-####", 20, nil}

	igpArgane    = cert{"igp", "Normacert — IGP Argane", "IGP-ARG-####", 45, nil}
	aopSafran    = cert{"aop", "Normacert — AOP Safran de Taliouine", "AOP-SAF-####", 60, nil}
	igpMajhoul   = cert{"igp", "Normacert — IGP Dattes Majhoul de Tafilalet", "IGP-MJT-####", 50, nil}
	igpAziza     = cert{"igp", "Normacert — IGP Dattes Aziza Bouzid de Figuig", "IGP-AZB-####", 60, []string{ori}}
	aopRose      = cert{"aop", "Normacert — AOP Rose de Kelâat M'Gouna-Dadès", "AOP-ROS-####", 50, []string{dta}}
	igpAmande    = cert{"igp", "Normacert — IGP Amande de Tafraout", "IGP-AMT-####", 50, []string{sma}}
	igpCumin     = cert{"igp", "Normacert — IGP Cumin beldi de Rhamna", "IGP-CUR-####", 50, []string{msa}}
	igpLentille  = cert{"igp", "Normacert — IGP Lentille de Zaër", "IGP-LZA-####", 60, []string{rsk}}
	igpHenne     = cert{"igp", "Normacert — IGP Henné de Foum Zguid", "IGP-HFZ-####", 50, []string{sma}}
	igpOuezzane  = cert{"igp", "Normacert — IGP Huile d'olive extra vierge d'Ouezzane", "IGP-HOZ-####", 50, []string{tta}}
	igpArbousier = cert{"igp", "Normacert — IGP Miel d'arbousier Jbel Moulay Abdessalam", "IGP-MAJ-####", 60, []string{tta}}
	igpTadla     = cert{"igp", "Normacert — IGP Miel d'euphorbe Tadla-Azilal", "IGP-MET-####", 60, []string{bmk}}
	igpSahara    = cert{"igp", "Normacert — IGP Miel d'euphorbe du Sahara", "IGP-MES-####", 50, []string{gon, lsh, dod}}
)

// organicIssuers certify organic farming, with their number patterns.
var organicIssuers = []struct{ issuer, number string }{
	{"Ecocert", "ECO-MA-#####"},
	{"Bureau Veritas", "BV-MA-BIO-#####"},
}

// templates by key; trades name the keys they sell.
var templates = map[string]*template{
	"argan-culinary": {"argan-oil", food, "exempt", "reduced10", "ARG",
		[]tr{
			{"زيت الأركان الغذائي", "Huile d'argan alimentaire", "Culinary argan oil", "Aceite de argán alimentario"},
			{"زيت الأركان المحمص", "Huile d'argan torréfiée", "Roasted argan oil", "Aceite de argán tostado"},
			{"زيت الأركان الغذائي العضوي", "Huile d'argan alimentaire bio", "Organic culinary argan oil", "Aceite de argán alimentario ecológico"},
		},
		[]tr{
			{"لوز محمص يدويا بنكهة البندق، للأملو والكسكس والسلطات.", "Amandons torréfiés à la main, au goût de noisette, pour l'amlou, le couscous et les salades.", "Hand-roasted kernels with a hazelnut taste, for amlou, couscous and salads.", "Almendras tostadas a mano con sabor a avellana, para amlou, cuscús y ensaladas."},
			{"زيت ذهبي معصور على البارد من لوز أركان محمص بلطف.", "Une huile dorée, pressée à froid à partir d'amandons doucement torréfiés.", "A golden oil, cold-pressed from gently roasted kernels.", "Un aceite dorado, prensado en frío a partir de almendras tostadas suavemente."},
		},
		[]size{{"250 ml", 120, 170, 480, 60, 60, 190}, {"500 ml", 220, 310, 820, 75, 75, 250}, {"1 L", 400, 560, 1500, 90, 90, 300}},
		[]cert{igpArgane, organic, onssa}},
	"argan-cosmetic": {"argan-cosmetics", cosmetic, "standard", "", "ARC",
		[]tr{
			{"زيت الأركان التجميلي", "Huile d'argan cosmétique", "Cosmetic argan oil", "Aceite de argán cosmético"},
			{"زيت الأركان التجميلي العضوي", "Huile d'argan cosmétique bio", "Organic cosmetic argan oil", "Aceite de argán cosmético ecológico"},
			{"زيت الأركان الخالص للوجه والشعر", "Huile d'argan pure visage et cheveux", "Pure argan oil for face and hair", "Aceite de argán puro para rostro y cabello"},
		},
		[]tr{
			{"معصور على البارد من لوز غير محمص، للوجه والجسم والشعر.", "Pressée à froid à partir d'amandons non torréfiés, pour le visage, le corps et les cheveux.", "Cold-pressed from unroasted kernels, for face, body and hair.", "Prensado en frío con almendras sin tostar, para rostro, cuerpo y cabello."},
			{"زيت غني بفيتامين E، يغذي البشرة الجافة ويقوي الأظافر.", "Riche en vitamine E, elle nourrit les peaux sèches et fortifie les ongles.", "Rich in vitamin E, it feeds dry skin and strengthens nails.", "Rico en vitamina E, nutre las pieles secas y fortalece las uñas."},
		},
		[]size{{"50 ml", 60, 90, 130, 40, 40, 110}, {"100 ml", 90, 130, 220, 50, 50, 140}, {"250 ml", 130, 180, 450, 65, 65, 190}},
		[]cert{igpArgane, organic}},
	"amlou": {"amlou-honey", food, "exempt", "reduced10", "AML",
		[]tr{
			{"أملو باللوز", "Amlou aux amandes", "Almond amlou", "Amlou de almendras"},
			{"أملو تقليدي بزيت الأركان والعسل", "Amlou traditionnel à l'argan et au miel", "Traditional amlou with argan oil and honey", "Amlou tradicional con argán y miel"},
		},
		[]tr{
			{"معجون اللوز المحمص وزيت الأركان والعسل، مطحون بالرحى الحجرية.", "Pâte d'amandes grillées, d'huile d'argan et de miel, broyée à la meule de pierre.", "Roasted almonds, argan oil and honey ground on a stone mill.", "Almendras tostadas, aceite de argán y miel molidos en muela de piedra."},
			{"يؤكل مع الخبز عند الفطور أو مع الشاي في المساء.", "Se mange sur du pain au petit-déjeuner ou avec le thé de l'après-midi.", "Eaten on bread at breakfast or with afternoon tea.", "Se come untado en pan en el desayuno o con el té de la tarde."},
		},
		[]size{{"250 g", 60, 90, 380, 80, 80, 90}, {"500 g", 110, 160, 700, 95, 95, 110}},
		[]cert{onssa}},
	"black-soap": {"soaps-ghassoul", cosmetic, "standard", "", "SAV",
		[]tr{
			{"الصابون البلدي بزيت الأركان", "Savon noir à l'huile d'argan", "Black soap with argan oil", "Jabón negro con aceite de argán"},
			{"الصابون البلدي بالكاليتوس", "Savon noir à l'eucalyptus", "Eucalyptus black soap", "Jabón negro de eucalipto"},
		},
		[]tr{
			{"صابون بلدي بالزيتون والأركان للحمام، يستعمل مع الكيس.", "Savon beldi à l'olive et à l'argan pour le hammam, à utiliser avec le gant kessa.", "Beldi olive and argan soap for the hammam, used with a kessa glove.", "Jabón beldi de oliva y argán para el hammam, con guante kessa."},
			{"عجينة طرية تنظف البشرة بعمق وتهيئها للتقشير.", "Une pâte fondante qui nettoie la peau en profondeur et la prépare au gommage.", "A soft paste that cleans the skin deeply and readies it for scrubbing.", "Una pasta suave que limpia la piel a fondo y la prepara para la exfoliación."},
		},
		[]size{{"200 g", 30, 50, 260, 70, 70, 60}, {"500 g", 60, 90, 600, 90, 90, 80}},
		[]cert{organic}},
	"honey-thyme": {"amlou-honey", food, "exempt", "reduced10", "MIE",
		[]tr{
			{"عسل الزعتر", "Miel de thym", "Thyme honey", "Miel de tomillo"},
			{"عسل الجبل الحر", "Miel de montagne", "Mountain honey", "Miel de montaña"},
			{"عسل السدر", "Miel de jujubier", "Jujube honey", "Miel de azufaifo"},
		},
		[]tr{
			{"عسل خام مستخلص على البارد، غير مسخن ولا مصفى بدقة.", "Miel cru extrait à froid, jamais chauffé ni filtré finement.", "Raw cold-extracted honey, never heated or finely filtered.", "Miel cruda extraída en frío, nunca calentada ni filtrada finamente."},
			{"عسل كثيف بنكهة قوية، يتبلور بشكل طبيعي مع البرد.", "Un miel dense au goût puissant, qui cristallise naturellement au froid.", "A thick, strong-tasting honey that crystallises naturally in the cold.", "Una miel densa de sabor intenso, que cristaliza de forma natural con el frío."},
		},
		[]size{{"250 g", 70, 150, 380, 80, 80, 90}, {"500 g", 130, 280, 700, 90, 90, 110}, {"1 kg", 240, 500, 1300, 110, 110, 140}},
		[]cert{onssa, organic}},
	"honey-euphorbia": {"amlou-honey", food, "exempt", "reduced10", "MEU",
		[]tr{
			{"عسل الدغموس", "Miel d'euphorbe", "Euphorbia honey", "Miel de euforbia"},
			{"عسل الدغموس الحر", "Miel d'euphorbe pur", "Pure euphorbia honey", "Miel de euforbia pura"},
		},
		[]tr{
			{"عسل نادر بطعم حار قليلا، يحظى بمكانة في الطب التقليدي المغربي.", "Un miel rare au goût légèrement poivré, réputé dans la pharmacopée marocaine.", "A rare honey with a slightly peppery taste, prized in Moroccan traditional remedies.", "Una miel rara de sabor algo picante, apreciada en la medicina tradicional marroquí."},
			{"تجنيه النحلة من أزهار الدغموس في أواخر الصيف.", "Les abeilles le butinent sur les fleurs d'euphorbe à la fin de l'été.", "The bees gather it from euphorbia flowers at the end of summer.", "Las abejas la recogen de las flores de euforbia a finales del verano."},
		},
		[]size{{"250 g", 120, 200, 380, 80, 80, 90}, {"500 g", 220, 380, 700, 90, 90, 110}},
		[]cert{igpTadla, igpSahara, onssa}},
	"honey-arbutus": {"amlou-honey", food, "exempt", "reduced10", "MAR",
		[]tr{
			{"عسل القطلب", "Miel d'arbousier", "Strawberry-tree honey", "Miel de madroño"},
			{"عسل القطلب المر", "Miel amer d'arbousier", "Bitter arbutus honey", "Miel amarga de madroño"},
		},
		[]tr{
			{"عسل مر قليلا وعطري، يجنى في الخريف من غابات الشمال.", "Un miel à l'amertume délicate, récolté en automne dans les forêts du Nord.", "A delicately bitter honey, harvested in autumn in the northern forests.", "Una miel de amargor delicado, cosechada en otoño en los bosques del norte."},
		},
		[]size{{"250 g", 110, 180, 380, 80, 80, 90}, {"500 g", 200, 340, 700, 90, 90, 110}},
		[]cert{igpArbousier, onssa}},
	"almonds": {"dates-dried-fruit", food, "exempt", "reduced10", "AMD",
		[]tr{
			{"لوز بلدي مقشر", "Amandes beldi décortiquées", "Shelled beldi almonds", "Almendras beldi peladas"},
			{"لوز تافراوت", "Amandes de Tafraout", "Tafraout almonds", "Almendras de Tafraout"},
		},
		[]tr{
			{"لوز صغير الحجم غني بالنكهة، من أشجار لم تسق قط.", "De petites amandes très parfumées, issues d'arbres jamais irrigués.", "Small, richly flavoured almonds from trees that are never watered.", "Almendras pequeñas y muy aromáticas, de árboles que nunca se riegan."},
			{"مثالي للحلويات المغربية والأملو.", "Idéales pour les pâtisseries marocaines et l'amlou.", "Ideal for Moroccan pastries and amlou.", "Ideales para la repostería marroquí y el amlou."},
		},
		[]size{{"500 g", 70, 110, 540, 200, 120, 50}, {"1 kg", 130, 200, 1060, 250, 150, 60}},
		[]cert{igpAmande, onssa}},
	"saffron": {"saffron-spices", food, "exempt", "reduced10", "SAF",
		[]tr{
			{"زعفران حر", "Safran en pistils", "Saffron threads", "Azafrán en hebras"},
			{"زعفران تالوين", "Safran de Taliouine", "Taliouine saffron", "Azafrán de Taliouine"},
			{"زعفران حر من الدرجة الأولى", "Safran pur catégorie I", "Grade I pure saffron", "Azafrán puro de categoría I"},
		},
		[]tr{
			{"مياسم كاملة من الزعفران، مقطوفة ومجففة في تالوين.", "Stigmates entiers de Crocus sativus, cueillis et séchés à Taliouine.", "Whole Crocus sativus stigmas, picked and dried in Taliouine.", "Estigmas enteros de Crocus sativus, recogidos y secados en Taliouine."},
			{"تكفي بضع شعيرات لتلوين طاجين العائلة وتعطيره.", "Quelques pistils suffisent à colorer et parfumer le tajine de toute la famille.", "A few threads are enough to colour and scent a family tagine.", "Bastan unas hebras para dar color y aroma al tajín de toda la familia."},
		},
		[]size{{"1 g", 40, 70, 40, 60, 40, 20}, {"5 g", 180, 300, 70, 70, 50, 30}, {"10 g", 340, 550, 110, 80, 60, 40}},
		[]cert{aopSafran, onssa}},
	"cumin": {"saffron-spices", food, "exempt", "reduced10", "CUM",
		[]tr{
			{"كمون بلدي", "Cumin beldi", "Beldi cumin", "Comino beldi"},
			{"كمون بلدي مطحون", "Cumin beldi moulu", "Ground beldi cumin", "Comino beldi molido"},
		},
		[]tr{
			{"حبوب صغيرة شديدة العطر، لا غنى عنها في البيصارة والسمك.", "De petites graines très aromatiques, indispensables à la bissara et au poisson.", "Small, very fragrant seeds, essential for bissara and fish.", "Semillas pequeñas y muy aromáticas, imprescindibles para la bisara y el pescado."},
		},
		[]size{{"100 g", 20, 35, 130, 120, 80, 40}, {"250 g", 45, 75, 290, 160, 100, 50}},
		[]cert{igpCumin, onssa}},
	"ras-el-hanout": {"saffron-spices", food, "exempt", "reduced10", "RAS",
		[]tr{
			{"رأس الحانوت", "Ras el hanout", "Ras el hanout", "Ras el hanout"},
			{"رأس الحانوت بخمسة وعشرين نوعا", "Ras el hanout aux vingt-cinq épices", "Twenty-five-spice ras el hanout", "Ras el hanout de veinticinco especias"},
		},
		[]tr{
			{"خليط تقليدي من التوابل المطحونة حديثا، للطواجن والكسكس.", "Un mélange traditionnel d'épices fraîchement moulues, pour les tajines et le couscous.", "A traditional blend of freshly ground spices, for tagines and couscous.", "Una mezcla tradicional de especias recién molidas, para tajines y cuscús."},
		},
		[]size{{"100 g", 25, 45, 130, 120, 80, 40}, {"250 g", 55, 95, 290, 160, 100, 50}},
		[]cert{onssa, halal}},
	"fleur-de-sel": {"saffron-spices", food, "exempt", "reduced10", "SEL",
		[]tr{
			{"زهرة الملح", "Fleur de sel", "Fleur de sel", "Flor de sal"},
			{"ملح بحري تقليدي", "Sel marin traditionnel", "Traditional sea salt", "Sal marina tradicional"},
		},
		[]tr{
			{"بلورات رقيقة تجمع يدويا على سطح الملاحات.", "De fins cristaux récoltés à la main à la surface des bassins.", "Fine crystals raked by hand from the surface of the pans.", "Finos cristales recogidos a mano en la superficie de las balsas."},
		},
		[]size{{"250 g", 25, 45, 300, 90, 90, 80}, {"1 kg", 60, 100, 1080, 150, 110, 110}},
		[]cert{onssa}},
	"herbal-tea": {"herbs-teas", food, "exempt", "reduced10", "HER",
		[]tr{
			{"خليط أعشاب للشاي", "Mélange d'herbes pour le thé", "Herbal tea blend", "Mezcla de hierbas para té"},
			{"لويزة مجففة", "Verveine séchée", "Dried lemon verbena", "Hierbaluisa seca"},
			{"زعتر الجبل", "Thym de montagne", "Mountain thyme", "Tomillo de montaña"},
		},
		[]tr{
			{"زعتر ولويزة وشيبة وفليو، مقطوفة من الجبل ومجففة في الظل.", "Thym, verveine, absinthe et menthe pouliot, cueillis en montagne et séchés à l'ombre.", "Thyme, verbena, wormwood and pennyroyal, gathered in the mountains and dried in the shade.", "Tomillo, hierbaluisa, ajenjo y poleo, recogidos en la montaña y secados a la sombra."},
			{"تضاف إلى الشاي بالنعناع في الشتاء أو تشرب منقوعة.", "À ajouter au thé à la menthe en hiver, ou à boire en infusion.", "Add to mint tea in winter, or drink on its own as an infusion.", "Para añadir al té con menta en invierno, o tomar en infusión."},
		},
		[]size{{"100 g", 25, 45, 150, 120, 80, 50}, {"250 g", 50, 80, 320, 160, 100, 60}},
		[]cert{organic, onssa}},
	"dates-majhoul": {"dates-dried-fruit", food, "exempt", "reduced10", "DAT",
		[]tr{
			{"تمر المجهول", "Dattes Majhoul", "Medjool dates", "Dátiles Medjool"},
			{"تمر المجهول الممتاز", "Dattes Majhoul extra", "Extra-large Medjool dates", "Dátiles Medjool extra"},
		},
		[]tr{
			{"تمور كبيرة طرية، مفروزة يدويا ومعبأة دون مواد حافظة.", "Grosses dattes moelleuses, triées à la main et conditionnées sans conservateur.", "Large soft dates, sorted by hand and packed without preservatives.", "Dátiles grandes y tiernos, seleccionados a mano y envasados sin conservantes."},
			{"تمر المجهول ملك التمور المغربية، بطعم الكراميل.", "La Majhoul, reine des dattes marocaines, au goût de caramel.", "Majhoul, the queen of Moroccan dates, with a taste of caramel.", "La Majhoul, reina de los dátiles marroquíes, con sabor a caramelo."},
		},
		[]size{{"500 g", 60, 110, 580, 200, 120, 50}, {"1 kg", 110, 200, 1100, 250, 150, 70}, {"5 kg", 500, 850, 5300, 400, 300, 150}},
		[]cert{igpMajhoul, onssa}},
	"dates-bouffeggous": {"dates-dried-fruit", food, "exempt", "reduced10", "DBF",
		[]tr{
			{"تمر بوفقوس", "Dattes Bouffeggous", "Bouffeggous dates", "Dátiles Bouffeggous"},
			{"تمر الواحة المشكل", "Dattes de l'oasis, assortiment", "Oasis date assortment", "Surtido de dátiles del oasis"},
		},
		[]tr{
			{"تمور نصف رطبة تحفظ طويلا، يحبها أهل الواحة مع الحليب.", "Des dattes demi-molles qui se gardent longtemps, que l'on mange à l'oasis avec du lait.", "Semi-soft dates that keep for a long time, eaten in the oasis with milk.", "Dátiles semiblandos que se conservan mucho tiempo y se comen en el oasis con leche."},
		},
		[]size{{"500 g", 35, 60, 560, 200, 120, 50}, {"1 kg", 60, 110, 1080, 250, 150, 70}},
		[]cert{onssa}},
	"dates-aziza": {"dates-dried-fruit", food, "exempt", "reduced10", "DAZ",
		[]tr{
			{"تمر عزيزة بوزيد", "Dattes Aziza Bouzid", "Aziza Bouzid dates", "Dátiles Aziza Bouzid"},
			{"تمر عزيزة من فكيك", "Dattes Aziza de Figuig", "Aziza dates from Figuig", "Dátiles Aziza de Figuig"},
		},
		[]tr{
			{"تمرة فكيك الشهيرة، بلحم فاتح اللون وحلاوة معتدلة.", "La célèbre datte de Figuig, à la chair claire et à la douceur mesurée.", "Figuig's famous date, with pale flesh and a gentle sweetness.", "El célebre dátil de Figuig, de pulpa clara y dulzor moderado."},
		},
		[]size{{"500 g", 50, 90, 570, 200, 120, 50}, {"1 kg", 90, 160, 1090, 250, 150, 70}},
		[]cert{igpAziza, onssa}},
	"date-paste": {"dates-dried-fruit", food, "exempt", "reduced10", "DPA",
		[]tr{
			{"عجينة التمر", "Pâte de dattes", "Date paste", "Pasta de dátiles"},
			{"عجينة التمر بالسمسم", "Pâte de dattes au sésame", "Date paste with sesame", "Pasta de dátiles con sésamo"},
		},
		[]tr{
			{"تمر منزوع النوى ومطحون، للحلويات والفطور.", "Dattes dénoyautées et broyées, pour les pâtisseries et le petit-déjeuner.", "Pitted, ground dates for pastries and breakfast.", "Dátiles deshuesados y molidos para repostería y desayuno."},
		},
		[]size{{"500 g", 35, 60, 540, 150, 100, 50}, {"1 kg", 65, 100, 1060, 200, 130, 60}},
		[]cert{onssa}},
	"rose-water": {"rose-products", cosmetic, "standard", "", "ROW",
		[]tr{
			{"ماء الورد المقطر", "Eau de rose distillée", "Distilled rose water", "Agua de rosas destilada"},
			{"ماء الورد البلدي", "Eau de rose beldi", "Beldi rose water", "Agua de rosas beldi"},
		},
		[]tr{
			{"ماء ورد خالص من الورد الدمشقي، مقطر في وادي دادس.", "Hydrolat pur de Rosa damascena, distillé dans la vallée du Dadès.", "Pure Rosa damascena hydrosol, distilled in the Dades valley.", "Hidrolato puro de Rosa damascena, destilado en el valle del Dadès."},
			{"منعش للبشرة، ويعطر الحلويات والشاي.", "Il rafraîchit la peau et parfume pâtisseries et thé.", "It refreshes the skin and scents pastries and tea.", "Refresca la piel y perfuma dulces y té."},
		},
		[]size{{"250 ml", 30, 55, 330, 60, 60, 180}, {"500 ml", 50, 90, 620, 70, 70, 230}},
		[]cert{aopRose, organic}},
	"rose-cream": {"rose-products", cosmetic, "standard", "", "ROC",
		[]tr{
			{"كريم الورد", "Crème à la rose", "Rose cream", "Crema de rosa"},
			{"كريم الورد بزيت الأركان", "Crème à la rose et à l'argan", "Rose and argan cream", "Crema de rosa y argán"},
		},
		[]tr{
			{"كريم مرطب بزيت الأركان وخلاصة الورد.", "Crème hydratante à l'huile d'argan et à l'extrait de rose.", "Moisturising cream with argan oil and rose extract.", "Crema hidratante con aceite de argán y extracto de rosa."},
		},
		[]size{{"50 ml", 50, 90, 120, 60, 60, 60}, {"100 ml", 85, 140, 200, 70, 70, 70}},
		[]cert{aopRose}},
	"dried-roses": {"rose-products", cosmetic, "standard", "", "ROB",
		[]tr{
			{"براعم الورد المجففة", "Boutons de rose séchés", "Dried rose buds", "Capullos de rosa secos"},
			{"بتلات الورد المجففة", "Pétales de rose séchés", "Dried rose petals", "Pétalos de rosa secos"},
		},
		[]tr{
			{"للشاي والحلويات ورأس الحانوت.", "Pour le thé, la pâtisserie et le ras el hanout.", "For tea, pastry and ras el hanout.", "Para té, repostería y ras el hanout."},
		},
		[]size{{"50 g", 25, 40, 80, 120, 80, 60}, {"200 g", 70, 110, 250, 180, 120, 80}},
		[]cert{aopRose}},
	"rug-beni-ouarain": {"rugs-textiles", textile, "standard", "", "TBO",
		[]tr{
			{"زربية بني وراين", "Tapis Beni Ouarain", "Beni Ouarain rug", "Alfombra Beni Ouarain"},
			{"زربية بني وراين بالصوف الخام", "Tapis Beni Ouarain en laine écrue", "Undyed wool Beni Ouarain rug", "Alfombra Beni Ouarain de lana cruda"},
		},
		[]tr{
			{"صوف خام معقود يدويا، بمعينات بنية، سميك وناعم.", "Laine vierge écrue nouée main, losanges bruns, épaisse et douce.", "Undyed wool knotted by hand with brown diamonds, thick and soft.", "Lana virgen cruda anudada a mano con rombos marrones, gruesa y suave."},
			{"زربية الأطلس المتوسط التي كانت تفرش على الأرض الباردة وتستعمل غطاء في الشتاء.", "Le tapis du Moyen Atlas, posé sur le sol froid et jeté sur les lits en hiver.", "The Middle Atlas rug, laid on cold floors and thrown over beds in winter.", "La alfombra del Atlas Medio, extendida sobre el suelo frío y echada sobre las camas en invierno."},
		},
		[]size{{"120 × 180 cm", 2500, 4200, 6000, 600, 300, 300}, {"170 × 240 cm", 4200, 6500, 11000, 800, 400, 400}, {"200 × 300 cm", 6000, 9000, 16000, 1000, 450, 450}},
		[]cert{fairTrade}},
	"rug-azilal": {"rugs-textiles", textile, "standard", "", "TAZ",
		[]tr{
			{"زربية أزيلال", "Tapis d'Azilal", "Azilal rug", "Alfombra de Azilal"},
			{"زربية أزيلال الملونة", "Tapis d'Azilal coloré", "Colourful Azilal rug", "Alfombra de Azilal de colores"},
		},
		[]tr{
			{"خلفية بيضاء وزخارف ملونة، تعقدها نساء الوادي السعيد.", "Fond blanc et motifs colorés, noués par les femmes de la vallée heureuse.", "White ground with bright motifs, knotted by the women of the Happy Valley.", "Fondo blanco y motivos de colores, anudados por las mujeres del valle feliz."},
		},
		[]size{{"100 × 150 cm", 1500, 2800, 4500, 500, 250, 250}, {"160 × 230 cm", 3000, 5200, 9000, 700, 350, 350}},
		[]cert{fairTrade}},
	"rug-zemmour": {"rugs-textiles", textile, "standard", "", "TZE",
		[]tr{
			{"حنبل زمور", "Hanbel Zemmour", "Zemmour hanbel rug", "Hanbel zemmour"},
			{"زربية زمور الحمراء", "Tapis rouge des Zemmour", "Red Zemmour rug", "Alfombra roja zemmour"},
		},
		[]tr{
			{"نسيج مسطح بخطوط هندسية حمراء وسوداء، تتخلله عقد بارزة.", "Tissage plat à bandes géométriques rouges et noires, ponctué de parties nouées.", "A flat weave of red and black geometric bands, dotted with knotted sections.", "Tejido plano de franjas geométricas rojas y negras, salpicado de partes anudadas."},
		},
		[]size{{"100 × 200 cm", 1200, 2200, 4000, 500, 250, 200}, {"150 × 250 cm", 2200, 3800, 6500, 600, 300, 250}},
		[]cert{fairTrade}},
	"handira": {"rugs-textiles", textile, "standard", "", "HND",
		[]tr{
			{"حنديرة بالترتر", "Handira à paillettes", "Sequinned handira blanket", "Handira con lentejuelas"},
			{"حنديرة العرس", "Handira de mariage", "Wedding handira", "Handira de boda"},
		},
		[]tr{
			{"غطاء العروس الأمازيغية، منسوج من الصوف الأبيض ومزين بالترتر.", "La couverture de la mariée amazighe, tissée de laine blanche et cousue de paillettes.", "The Amazigh bride's blanket, woven of white wool and sewn with sequins.", "La manta de la novia amazigh, tejida en lana blanca y cosida con lentejuelas."},
		},
		[]size{{"100 × 180 cm", 900, 1600, 2000, 450, 300, 120}, {"150 × 250 cm", 1600, 2800, 3500, 500, 350, 150}},
		[]cert{fairTrade}},
	"kilim": {"rugs-textiles", textile, "standard", "", "KIL",
		[]tr{
			{"حنبل منسوج يدويا", "Kilim tissé main", "Handwoven kilim", "Kilim tejido a mano"},
			{"حنبل بالأصباغ النباتية", "Kilim aux teintures végétales", "Plant-dyed kilim", "Kilim de tintes vegetales"},
		},
		[]tr{
			{"نسيج مسطح من صوف مصبوغ بالحناء والفوة والنيلة.", "Tissage plat en laine teinte au henné, à la garance et à l'indigo.", "Flat weave in wool dyed with henna, madder and indigo.", "Tejido plano en lana teñida con henna, rubia e índigo."},
		},
		[]size{{"80 × 150 cm", 600, 1200, 2500, 400, 200, 150}, {"150 × 250 cm", 1500, 2600, 5500, 600, 300, 200}},
		[]cert{fairTrade}},
	"cushion": {"rugs-textiles", textile, "standard", "", "COU",
		[]tr{
			{"غطاء وسادة منسوج", "Housse de coussin tissée", "Woven cushion cover", "Funda de cojín tejida"},
			{"غطاء وسادة بالصوف", "Housse de coussin en laine", "Wool cushion cover", "Funda de cojín de lana"},
		},
		[]tr{
			{"صوف وقطن منسوجان على النول، بإغلاق بالأزرار.", "Laine et coton tissés au métier, fermeture à boutons.", "Loom-woven wool and cotton, button closure.", "Lana y algodón tejidos en telar, cierre de botones."},
		},
		[]size{{"40 × 40 cm", 150, 300, 400, 300, 300, 50}, {"50 × 50 cm", 220, 400, 550, 350, 350, 60}},
		nil},
	"fouta": {"rugs-textiles", textile, "standard", "", "FOU",
		[]tr{
			{"فوطة منسوجة يدويا", "Fouta tissée main", "Handwoven fouta", "Fouta tejida a mano"},
			{"فوطة شفشاون المخططة", "Fouta rayée de Chefchaouen", "Striped Chefchaouen fouta", "Fouta de rayas de Chefchaouen"},
		},
		[]tr{
			{"قطن منسوج على نول بالدواسات بخطوط زرقاء.", "Coton tissé au métier à pédales, rayures bleues.", "Cotton from the treadle loom, blue stripes.", "Algodón de telar de pedal, rayas azules."},
		},
		[]size{{"100 × 180 cm", 120, 200, 400, 300, 200, 40}},
		nil},
	"blanket": {"rugs-textiles", textile, "standard", "", "COV",
		[]tr{
			{"غطاء صوفي جبلي", "Couverture en laine de montagne", "Mountain wool blanket", "Manta de lana de montaña"},
			{"بطانية مخططة من الصوف", "Couverture rayée en laine", "Striped wool blanket", "Manta de lana a rayas"},
		},
		[]tr{
			{"صوف منسوج بإحكام، دافئ لليالي الجبل.", "Laine tissée serrée, chaude pour les nuits de montagne.", "Tightly woven wool, warm for mountain nights.", "Lana tejida apretada, cálida para las noches de montaña."},
		},
		[]size{{"150 × 200 cm", 450, 800, 2200, 400, 300, 150}},
		nil},
	"embroidered-cushion": {"rugs-textiles", craft, "standard", "", "BRC",
		[]tr{
			{"وسادة مطرزة يدويا", "Coussin brodé main", "Hand-embroidered cushion", "Cojín bordado a mano"},
			{"وسادة بالطرز التقليدي", "Coussin à broderie traditionnelle", "Cushion with traditional embroidery", "Cojín con bordado tradicional"},
		},
		[]tr{
			{"تطريز بخيط الحرير على الكتان، بزخارف نباتية قديمة.", "Broderie au fil de soie sur lin, motifs végétaux anciens.", "Silk-thread embroidery on linen, with old plant motifs.", "Bordado con hilo de seda sobre lino, con motivos vegetales antiguos."},
		},
		[]size{{"40 × 40 cm", 250, 450, 350, 300, 300, 40}},
		nil},
	"embroidered-tablecloth": {"rugs-textiles", craft, "standard", "", "BRN",
		[]tr{
			{"مفرش مائدة مطرز", "Nappe brodée", "Embroidered tablecloth", "Mantel bordado"},
			{"مفرش مائدة بالطرز التقليدي", "Nappe à broderie traditionnelle", "Tablecloth with traditional embroidery", "Mantel con bordado tradicional"},
		},
		[]tr{
			{"تحتاج المطرزة إلى عدة أسابيع لإتمام مفرش واحد.", "Une nappe demande plusieurs semaines de travail à une brodeuse.", "One tablecloth takes an embroiderer several weeks.", "Un mantel requiere varias semanas de trabajo a una bordadora."},
		},
		[]size{{"150 × 150 cm", 600, 1200, 700, 350, 300, 50}, {"150 × 250 cm", 900, 1800, 1000, 400, 300, 60}},
		nil},
	"jebli-hat": {"basketry", craft, "standard", "", "CHA",
		[]tr{
			{"قبعة جبلية بالدوم", "Chapeau jebli en doum", "Jebli straw hat", "Sombrero yebli de palmito"},
			{"الطرازة الجبلية", "Tarazal jebli à pompons", "Jebli tarazal hat with pompoms", "Tarazal yebli con borlas"},
		},
		[]tr{
			{"قبعة النساء الجبليات الواسعة، مزينة بخيوط صوف ملونة.", "Le large chapeau des femmes jeblies, orné de cordons de laine colorée.", "The wide-brimmed hat of Jebli women, trimmed with coloured wool cords.", "El ancho sombrero de las mujeres yebli, adornado con cordones de lana de colores."},
		},
		[]size{{"Ø 50 cm", 120, 220, 450, 520, 520, 150}},
		nil},
	"doum-basket": {"basketry", craft, "standard", "", "PAN",
		[]tr{
			{"قفة من الدوم", "Panier en doum", "Doum palm basket", "Cesta de palmito"},
			{"سلة سوق مضفورة", "Couffin tressé", "Plaited market basket", "Capazo trenzado"},
		},
		[]tr{
			{"مضفورة يدويا من سعف الدوم، متينة وخفيفة.", "Tressé à la main en feuilles de palmier doum, solide et léger.", "Plaited by hand from doum palm leaves, strong and light.", "Trenzado a mano con hojas de palmito, resistente y ligero."},
		},
		[]size{{"Moyen", 70, 130, 350, 400, 250, 300}, {"Grand", 110, 190, 500, 500, 300, 350}},
		nil},
	"olive-oil": {"olive-oil", food, "exempt", "reduced10", "OLI",
		[]tr{
			{"زيت الزيتون البكر الممتاز", "Huile d'olive extra vierge", "Extra virgin olive oil", "Aceite de oliva virgen extra"},
			{"زيت الزيتون البلدي", "Huile d'olive beldi", "Beldi olive oil", "Aceite de oliva beldi"},
			{"زيت الزيتون المعصور على البارد", "Huile d'olive pressée à froid", "Cold-pressed olive oil", "Aceite de oliva prensado en frío"},
		},
		[]tr{
			{"زيتون البيشولين المغربي معصور على البارد، فاكهي وحار قليلا.", "Picholine marocaine pressée à froid, fruitée et légèrement piquante.", "Moroccan Picholine, cold-pressed, fruity with a slight pepperiness.", "Picholine marroquí prensada en frío, afrutada y algo picante."},
			{"زيت الموسم الجديد، بحموضة أقل من 0,8 في المئة.", "L'huile de la nouvelle récolte, d'une acidité inférieure à 0,8 %.", "This season's oil, with acidity below 0.8%.", "El aceite de la nueva cosecha, con una acidez inferior al 0,8 %."},
		},
		[]size{{"500 ml", 50, 80, 820, 75, 75, 250}, {"1 L", 85, 130, 1500, 90, 90, 300}, {"5 L", 380, 550, 5200, 180, 120, 320}},
		[]cert{igpOuezzane, organic, onssa}},
	"olives": {"olive-oil", food, "exempt", "reduced10", "OLV",
		[]tr{
			{"زيتون أسود مرقد", "Olives noires confites", "Cured black olives", "Aceitunas negras curadas"},
			{"زيتون أخضر مشرح", "Olives vertes cassées", "Cracked green olives", "Aceitunas verdes partidas"},
		},
		[]tr{
			{"زيتون مرقد بالملح على الطريقة التقليدية.", "Olives confites au sel, à la manière traditionnelle.", "Salt-cured olives, the traditional way.", "Aceitunas curadas con sal, a la manera tradicional."},
		},
		[]size{{"500 g", 25, 45, 550, 150, 100, 80}, {"1 kg", 45, 80, 1080, 180, 120, 100}},
		[]cert{onssa}},
	"cactus-oil": {"essential-oils", cosmetic, "standard", "", "CAC",
		[]tr{
			{"زيت بذور الصبار", "Huile de pépins de figue de Barbarie", "Prickly pear seed oil", "Aceite de semilla de higo chumbo"},
			{"زيت بذور الصبار العضوي", "Huile de figue de Barbarie bio", "Organic prickly pear seed oil", "Aceite de higo chumbo ecológico"},
		},
		[]tr{
			{"من أندر الزيوت: يحتاج اللتر إلى قرابة طن من الثمار.", "Une des huiles les plus rares : un litre demande près d'une tonne de fruits.", "One of the rarest oils: a litre takes nearly a tonne of fruit.", "Uno de los aceites más raros: un litro requiere casi una tonelada de fruta."},
			{"زيت خفيف غني بفيتامين E، للعناية بالبشرة ومحيط العينين.", "Une huile légère riche en vitamine E, pour le visage et le contour des yeux.", "A light oil rich in vitamin E, for the face and around the eyes.", "Un aceite ligero rico en vitamina E, para el rostro y el contorno de ojos."},
		},
		[]size{{"15 ml", 120, 200, 60, 35, 35, 90}, {"30 ml", 220, 360, 90, 40, 40, 110}},
		[]cert{organic}},
	"rosemary-oil": {"essential-oils", cosmetic, "standard", "", "ROM",
		[]tr{
			{"زيت إكليل الجبل العطري", "Huile essentielle de romarin", "Rosemary essential oil", "Aceite esencial de romero"},
			{"زيت إكليل الجبل العطري العضوي", "Huile essentielle de romarin bio", "Organic rosemary essential oil", "Aceite esencial de romero ecológico"},
		},
		[]tr{
			{"زيت عطري مقطر بالبخار من إكليل الجبل البري.", "Distillée à la vapeur à partir de romarin sauvage.", "Steam-distilled from wild rosemary.", "Destilado al vapor a partir de romero silvestre."},
		},
		[]size{{"10 ml", 40, 70, 50, 30, 30, 80}, {"30 ml", 90, 150, 90, 40, 40, 100}},
		[]cert{organic}},
	"couscous": {"couscous-grains", food, "exempt", "reduced7", "CSC",
		[]tr{
			{"كسكس مفتول يدويا", "Couscous roulé main", "Hand-rolled couscous", "Cuscús amasado a mano"},
			{"كسكس الشعير", "Couscous d'orge (belboula)", "Barley couscous (belboula)", "Cuscús de cebada (belbula)"},
			{"كسكس القمح الكامل", "Couscous de blé complet", "Wholewheat couscous", "Cuscús de trigo integral"},
		},
		[]tr{
			{"قمح صلب أو شعير مفتول يدويا ومجفف تحت الشمس.", "Blé dur ou orge roulés à la main et séchés au soleil.", "Durum wheat or barley rolled by hand and sun-dried.", "Trigo duro o cebada amasados a mano y secados al sol."},
			{"يطهى على البخار في الكسكاس ثلاث مرات كما في كسكس الجمعة.", "À cuire trois fois à la vapeur dans le couscoussier, comme pour le couscous du vendredi.", "Steam it three times in the couscoussier, as for Friday couscous.", "Se cuece tres veces al vapor en la cuscusera, como el cuscús del viernes."},
		},
		[]size{{"1 kg", 30, 55, 1050, 200, 120, 60}, {"5 kg", 130, 240, 5200, 350, 250, 120}},
		[]cert{onssa}},
	"lentils": {"couscous-grains", food, "exempt", "reduced7", "LEN",
		[]tr{
			{"عدس زعير", "Lentilles des Zaër", "Zaer lentils", "Lentejas de los Zaer"},
			{"عدس بلدي", "Lentilles beldi", "Beldi lentils", "Lentejas beldi"},
		},
		[]tr{
			{"عدس صغير سريع الطهي، لا يتفتت في الطاجين.", "Petites lentilles qui cuisent vite et tiennent à la cuisson.", "Small lentils that cook quickly and keep their shape.", "Lentejas pequeñas que se cuecen rápido y no se deshacen."},
		},
		[]size{{"1 kg", 25, 40, 1040, 200, 120, 60}, {"5 kg", 110, 180, 5150, 350, 250, 120}},
		[]cert{igpLentille, onssa}},
	"ghassoul": {"soaps-ghassoul", cosmetic, "standard", "", "GHA",
		[]tr{
			{"غاسول بالأعشاب", "Ghassoul aux plantes", "Herbal ghassoul clay", "Ghassoul con plantas"},
			{"غاسول ملوية الخالص", "Ghassoul pur de la Moulouya", "Pure Moulouya ghassoul", "Ghassoul puro del Muluya"},
		},
		[]tr{
			{"طين طبيعي للشعر والبشرة، يخلط بماء الورد قبل الاستعمال.", "Argile naturelle pour les cheveux et la peau, à mélanger à l'eau de rose.", "A natural clay for hair and skin, mixed with rose water before use.", "Arcilla natural para el cabello y la piel, que se mezcla con agua de rosas."},
		},
		[]size{{"250 g", 25, 45, 280, 120, 80, 60}, {"1 kg", 70, 120, 1050, 200, 120, 80}},
		[]cert{organic}},
	"henna": {"cosmetics", cosmetic, "standard", "", "HEN",
		[]tr{
			{"حناء طبيعية", "Henné naturel", "Natural henna", "Henna natural"},
			{"حناء الواحات المطحونة", "Henné des oasis en poudre", "Oasis henna powder", "Henna de los oasis en polvo"},
		},
		[]tr{
			{"أوراق مطحونة طحنا دقيقا، للشعر وللنقش في الأعراس.", "Feuilles moulues très finement, pour les cheveux et les motifs des fêtes.", "Finely ground leaves, for hair and for festive patterns.", "Hojas molidas muy finas, para el cabello y los dibujos de las fiestas."},
		},
		[]size{{"250 g", 30, 55, 280, 120, 80, 60}, {"500 g", 55, 90, 540, 160, 100, 70}},
		[]cert{igpHenne}},
	"anchovies": {"food", food, "exempt", "reduced10", "ANC",
		[]tr{
			{"أنشوبة مملحة بزيت الزيتون", "Anchois marinés à l'huile d'olive", "Anchovies in olive oil", "Anchoas en aceite de oliva"},
			{"فيلي الأنشوبة", "Filets d'anchois", "Anchovy fillets", "Filetes de anchoa"},
		},
		[]tr{
			{"أنشوبة مملحة ومنظفة يدويا ثم مغمورة في زيت الزيتون.", "Anchois salés, parés à la main puis couverts d'huile d'olive.", "Salted anchovies, trimmed by hand and covered in olive oil.", "Anchoas saladas, limpiadas a mano y cubiertas de aceite de oliva."},
		},
		[]size{{"100 g", 30, 50, 180, 110, 75, 35}, {"250 g", 65, 110, 380, 140, 90, 45}},
		[]cert{onssa}},
	"sardines": {"food", food, "exempt", "reduced10", "SAR",
		[]tr{
			{"سردين بزيت الزيتون", "Sardines à l'huile d'olive", "Sardines in olive oil", "Sardinas en aceite de oliva"},
			{"سردين بالشرمولة", "Sardines à la chermoula", "Sardines in chermoula", "Sardinas a la chermula"},
		},
		[]tr{
			{"سردين الأطلسي معلب في يوم صيده.", "Sardines de l'Atlantique mises en boîte le jour de la pêche.", "Atlantic sardines canned on the day they are caught.", "Sardinas del Atlántico enlatadas el día de su captura."},
		},
		[]size{{"125 g", 15, 25, 170, 110, 80, 30}, {"6 × 125 g", 80, 130, 1000, 230, 160, 70}},
		[]cert{onssa, halal}},
	"sahrawi-cushion": {"sahrawi-crafts", craft, "standard", "", "SCO",
		[]tr{
			{"وسادة صحراوية من الجلد", "Coussin sahraoui en cuir", "Sahrawi leather cushion", "Cojín saharaui de cuero"},
			{"وسادة جلدية مطرزة", "Coussin de cuir brodé", "Embroidered leather cushion", "Cojín de cuero bordado"},
		},
		[]tr{
			{"جلد مصبوغ ومطرز بزخارف هندسية، كما في الخيمة.", "Cuir teint et brodé de motifs géométriques, tel qu'on en trouve sous la khaïma.", "Dyed leather embroidered with geometric patterns, as found in the khaima tent.", "Cuero teñido y bordado con motivos geométricos, como en la jaima."},
		},
		[]size{{"45 × 45 cm", 250, 450, 700, 450, 450, 60}},
		[]cert{fairTrade}},
	"melhfa": {"sahrawi-crafts", textile, "standard", "", "MLH",
		[]tr{
			{"ملحفة مصبوغة يدويا", "Melhfa teinte à la main", "Hand-dyed melhfa", "Melhfa teñida a mano"},
			{"ملحفة النيلة", "Melhfa à l'indigo", "Indigo melhfa", "Melhfa de índigo"},
		},
		[]tr{
			{"ثوب قطني بطول أربعة أمتار مصبوغ يدويا وفق التقاليد الحسانية.", "Voile de coton de quatre mètres teint à la main selon la tradition hassanie.", "A four-metre cotton veil hand-dyed in the Hassani tradition.", "Velo de algodón de cuatro metros teñido a mano según la tradición hassaní."},
		},
		[]size{{"4 m", 200, 400, 350, 300, 250, 40}},
		nil},
	"sahrawi-bag": {"sahrawi-crafts", craft, "standard", "", "SSA",
		[]tr{
			{"تاسوفرة جلدية", "Sac tassoufra en cuir", "Leather tassoufra bag", "Bolsa tassoufra de cuero"},
			{"محفظة جلدية صحراوية", "Sacoche sahraouie en cuir", "Sahrawi leather satchel", "Bolso saharaui de cuero"},
		},
		[]tr{
			{"الحقيبة التي كان الرحل يحملون فيها أمتعتهم على الجمال، بزخارف مصبوغة.", "Le sac où les nomades rangeaient leurs affaires sur les chameaux, orné de motifs teints.", "The bag nomads packed their belongings in on camelback, decorated with dyed patterns.", "La bolsa en la que los nómadas guardaban sus cosas a lomos de camello, con motivos teñidos."},
		},
		[]size{{"Moyen", 350, 650, 800, 400, 300, 80}},
		[]cert{fairTrade}},
	"tagine": {"pottery-ceramics", craft, "standard", "", "TAJ",
		[]tr{
			{"طاجين مزجج", "Tajine émaillé", "Glazed tagine", "Tajín esmaltado"},
			{"طاجين الطهي من الطين", "Tajine de cuisson en terre", "Clay cooking tagine", "Tajín de barro para cocinar"},
			{"طاجين التقديم المزخرف", "Tajine de service décoré", "Decorated serving tagine", "Tajín de servir decorado"},
		},
		[]tr{
			{"طين مشكل يدويا، تزجيج بدون رصاص، للتقديم أو الطهي.", "Terre tournée main, émail sans plomb, pour servir ou pour cuire.", "Clay thrown by hand, lead-free glaze, for serving or cooking.", "Arcilla torneada a mano, esmalte sin plomo, para servir o cocinar."},
			{"يستعمل على نار هادئة أو على الفحم، مع موزع للحرارة.", "S'utilise à feu doux ou sur le kanoun, avec un diffuseur.", "Use over a low flame or on charcoal, with a heat diffuser.", "Se usa a fuego lento o sobre carbón, con difusor."},
		},
		[]size{{"Ø 25 cm", 150, 250, 2200, 300, 300, 250}, {"Ø 30 cm", 220, 330, 3000, 350, 350, 300}, {"Ø 35 cm", 300, 400, 4000, 400, 400, 330}},
		nil},
	"serving-plate": {"pottery-ceramics", craft, "standard", "", "PLA",
		[]tr{
			{"طبق تقديم مرسوم", "Plat de service peint", "Hand-painted serving plate", "Fuente pintada a mano"},
			{"طبق آسفي الأزرق", "Plat bleu de Safi", "Blue Safi plate", "Fuente azul de Safi"},
		},
		[]tr{
			{"زخرفة زرقاء مرسومة بالريشة، كل قطعة فريدة.", "Décor bleu peint au pinceau, chaque pièce est unique.", "Blue pattern painted by brush; every piece is unique.", "Decoración azul pintada a pincel; cada pieza es única."},
		},
		[]size{{"Ø 30 cm", 180, 300, 1500, 350, 350, 80}, {"Ø 40 cm", 280, 450, 2600, 450, 450, 90}},
		nil},
	"fes-blue-plate": {"pottery-ceramics", craft, "standard", "", "FBL",
		[]tr{
			{"زلافة فاسية زرقاء", "Bol bleu de Fès", "Fez blue bowl", "Cuenco azul de Fez"},
			{"طبق الفخار الفاسي", "Assiette en faïence de Fès", "Fez faience plate", "Plato de loza de Fez"},
		},
		[]tr{
			{"فخار أبيض مزخرف بالأزرق الكوبالتي على طريقة فاس العريقة.", "Faïence blanche décorée au bleu de cobalt, à la manière ancienne de Fès.", "White faience decorated in cobalt blue, in the old Fez manner.", "Loza blanca decorada en azul cobalto, a la antigua manera de Fez."},
		},
		[]size{{"Ø 20 cm", 90, 160, 700, 250, 250, 90}, {"Ø 28 cm", 150, 260, 1200, 320, 320, 80}},
		nil},
	"green-pottery": {"pottery-ceramics", craft, "standard", "", "TAM",
		[]tr{
			{"فخار تامكروت الأخضر", "Poterie verte de Tamegroute", "Tamegroute green pottery", "Cerámica verde de Tamegroute"},
			{"جرة تامكروت الخضراء", "Jarre verte de Tamegroute", "Tamegroute green jar", "Jarra verde de Tamegroute"},
		},
		[]tr{
			{"تزجيج أخضر غير متساو يصنع جمال كل قطعة، مطهو في فرن الحطب.", "Un émail vert irrégulier qui fait la beauté de chaque pièce, cuite au four à bois.", "An uneven green glaze that makes each piece beautiful, fired in a wood kiln.", "Un esmalte verde irregular que hace bella cada pieza, cocida en horno de leña."},
		},
		[]size{{"Petit", 90, 160, 800, 200, 200, 200}, {"Grand", 200, 350, 2200, 320, 320, 350}},
		nil},
	"zellige-table": {"zellige-tadelakt", craft, "standard", "", "ZTB",
		[]tr{
			{"مائدة من الزليج", "Table en zellige", "Zellige table", "Mesa de zellige"},
			{"مائدة زليج فاسي", "Table de zellige fassi", "Fez zellige table", "Mesa de zellige de Fez"},
		},
		[]tr{
			{"سطح من الزليج المقطوع يدويا على قاعدة من الحديد المطروق.", "Plateau de zellige taillé main sur piètement en fer forgé.", "Hand-cut zellige top on a wrought-iron base.", "Tablero de zellige tallado a mano sobre pie de hierro forjado."},
		},
		[]size{{"Ø 60 cm", 1800, 3000, 25000, 700, 700, 200}, {"Ø 80 cm", 2800, 4500, 38000, 900, 900, 220}},
		nil},
	"zellige-tiles": {"zellige-tadelakt", craft, "standard", "", "ZLG",
		[]tr{
			{"مربعات الزليج", "Carreaux de zellige", "Zellige tiles", "Azulejos de zellige"},
			{"زليج فاسي مزجج", "Zellige émaillé de Fès", "Glazed Fez zellige", "Zellige esmaltado de Fez"},
		},
		[]tr{
			{"مربعات مزججة من فاس، 10 × 10 سم، تباع بالمتر المربع.", "Carreaux émaillés de Fès, 10 × 10 cm, vendus au mètre carré.", "Glazed Fez tiles, 10 × 10 cm, sold by the square metre.", "Azulejos esmaltados de Fez, 10 × 10 cm, por metro cuadrado."},
		},
		[]size{{"1 m²", 450, 800, 28000, 400, 400, 300}},
		nil},
	"tadelakt-basin": {"zellige-tadelakt", craft, "standard", "", "TDV",
		[]tr{
			{"مغسلة من التادلاكت", "Vasque en tadelakt", "Tadelakt basin", "Lavabo de tadelakt"},
			{"حوض تادلاكت مصقول", "Vasque en tadelakt poli", "Polished tadelakt sink", "Lavabo de tadelakt pulido"},
		},
		[]tr{
			{"طلاء جير مراكش مصقول بالحجر والصابون البلدي.", "Enduit de chaux de Marrakech poli au galet et au savon noir.", "Marrakech lime plaster polished with a pebble and black soap.", "Revoque de cal de Marrakech pulido con guijarro y jabón negro."},
		},
		[]size{{"Ø 40 cm", 900, 1600, 12000, 500, 500, 250}},
		nil},
	"tadelakt-soapdish": {"zellige-tadelakt", craft, "standard", "", "TDS",
		[]tr{
			{"صحن صابون من التادلاكت", "Porte-savon en tadelakt", "Tadelakt soap dish", "Jabonera de tadelakt"},
			{"طقم حمام من التادلاكت", "Set de bain en tadelakt", "Tadelakt bath set", "Juego de baño de tadelakt"},
		},
		[]tr{
			{"قطع صغيرة لا ينفذ إليها الماء، لتزيين الحمام.", "De petites pièces étanches pour habiller la salle de bain.", "Small waterproof pieces to dress the bathroom.", "Pequeñas piezas impermeables para vestir el baño."},
		},
		[]size{{"Pièce", 80, 150, 500, 150, 120, 60}, {"Set de 3", 220, 380, 1400, 300, 200, 120}},
		nil},
	"babouches": {"leather", craft, "standard", "", "BAB",
		[]tr{
			{"بلغة جلدية", "Babouches en cuir", "Leather babouches", "Babuchas de cuero"},
			{"بلغة فاسية صفراء", "Babouches jaunes de Fès", "Yellow Fez babouches", "Babuchas amarillas de Fez"},
			{"شربيل مطرز", "Cherbil brodées", "Embroidered cherbil slippers", "Cherbil bordadas"},
		},
		[]tr{
			{"جلد ماعز مدبوغ نباتيا، نعل مخيط يدويا.", "Cuir de chèvre tanné végétal, semelle cousue main.", "Vegetable-tanned goatskin, hand-stitched sole.", "Piel de cabra curtida vegetal, suela cosida a mano."},
		},
		[]size{{"EU 38", 150, 260, 450, 300, 120, 100}, {"EU 40", 150, 260, 480, 300, 120, 100}, {"EU 42", 150, 260, 510, 310, 120, 100}, {"EU 44", 150, 260, 540, 320, 125, 100}},
		nil},
	"leather-bag": {"leather", craft, "standard", "", "SAC",
		[]tr{
			{"حقيبة جلدية", "Sac en cuir", "Leather bag", "Bolso de cuero"},
			{"حقيبة كتف جلدية", "Besace en cuir", "Leather shoulder bag", "Bandolera de cuero"},
		},
		[]tr{
			{"حقيبة مخيطة يدويا، ببطانة قطنية.", "Cousu main, doublure en coton.", "Hand-stitched, with cotton lining.", "Cosido a mano, con forro de algodón."},
		},
		[]size{{"Moyen", 450, 800, 900, 350, 120, 300}, {"Grand", 650, 1100, 1200, 450, 150, 350}},
		nil},
	"pouf": {"leather", craft, "standard", "", "POU",
		[]tr{
			{"بوف جلدي مطرز", "Pouf en cuir brodé", "Embroidered leather pouf", "Puf de cuero bordado"},
			{"بوف جلدي", "Pouf marocain en cuir", "Moroccan leather pouf", "Puf marroquí de cuero"},
		},
		[]tr{
			{"يسلم غير محشو، ليحشى بالأقمشة أو الوسائد.", "Livré non rembourré, à garnir de tissus ou de coussins.", "Shipped unstuffed, to fill with fabric or cushions.", "Se entrega sin relleno, para llenar con telas o cojines."},
		},
		[]size{{"Ø 50 cm", 400, 700, 1400, 350, 350, 80}},
		nil},
	"cedar-tray": {"woodwork", craft, "standard", "", "CED",
		[]tr{
			{"صينية من الأرز المنحوت", "Plateau en cèdre sculpté", "Carved cedar tray", "Bandeja de cedro tallado"},
			{"صينية الشاي من الأرز", "Plateau à thé en cèdre", "Cedar tea tray", "Bandeja de té de cedro"},
		},
		[]tr{
			{"أرز الأطلس منحوت بالإزميل ومدهون بزيت الكتان.", "Cèdre de l'Atlas sculpté au ciseau, fini à l'huile de lin.", "Atlas cedar carved by chisel, finished with linseed oil.", "Cedro del Atlas tallado a cincel, acabado con aceite de linaza."},
		},
		[]size{{"40 cm", 200, 350, 1200, 420, 300, 50}, {"60 cm", 320, 520, 2000, 620, 420, 60}},
		nil},
	"cedar-mirror": {"woodwork", craft, "standard", "", "MIR",
		[]tr{
			{"مرآة بإطار من الأرز", "Miroir à cadre en cèdre", "Cedar-framed mirror", "Espejo con marco de cedro"},
			{"مرآة أرز منقوشة", "Miroir en cèdre ciselé", "Chiselled cedar mirror", "Espejo de cedro cincelado"},
		},
		[]tr{
			{"إطار منقوش بزخارف نباتية، برائحة الأرز الدافئة.", "Un cadre ciselé de motifs végétaux, au parfum chaud du cèdre.", "A frame chiselled with plant motifs, with the warm scent of cedar.", "Un marco cincelado con motivos vegetales, con el cálido aroma del cedro."},
		},
		[]size{{"50 × 70 cm", 500, 900, 4000, 720, 520, 60}},
		nil},
	"thuya-box": {"woodwork", craft, "standard", "", "THU",
		[]tr{
			{"علبة من العرعار", "Coffret en thuya", "Thuya wood box", "Caja de tuya"},
			{"علبة مجوهرات من العرعار", "Boîte à bijoux en thuya", "Thuya jewellery box", "Joyero de tuya"},
		},
		[]tr{
			{"عروق عرعار الصويرة مطعمة بخشب الليمون.", "Loupe de thuya d'Essaouira marquetée de citronnier.", "Essaouira thuya burl inlaid with lemonwood.", "Raíz de tuya de Esauira con taracea de limonero."},
		},
		[]size{{"Petit", 120, 220, 350, 150, 100, 60}, {"Grand", 250, 450, 800, 250, 180, 90}},
		nil},
	"thuya-chess": {"woodwork", craft, "standard", "", "ECH",
		[]tr{
			{"رقعة شطرنج من العرعار", "Échiquier en thuya", "Thuya chessboard", "Tablero de ajedrez de tuya"},
		},
		[]tr{
			{"رقعة مطعمة بمربعات من العرعار والليمون، مع قطعها.", "Un plateau marqueté de thuya et de citronnier, livré avec ses pièces.", "A board inlaid with thuya and lemonwood squares, with its pieces.", "Un tablero con taracea de tuya y limonero, con sus piezas."},
		},
		[]size{{"35 × 35 cm", 450, 850, 1800, 380, 380, 80}},
		nil},
	"silver-bracelet": {"jewelry-metal", craft, "standard", "", "BRA",
		[]tr{
			{"سوار فضي منقوش", "Bracelet en argent ciselé", "Chased silver bracelet", "Brazalete de plata cincelada"},
			{"دملج فضي بالمينا", "Bracelet émaillé en argent", "Enamelled silver bracelet", "Brazalete de plata esmaltada"},
		},
		[]tr{
			{"فضة 925 منقوشة يدويا من طرف حرفيي الجنوب.", "Argent 925 ciselé à la main par les artisans du Sud.", "925 silver chased by hand by southern craftsmen.", "Plata 925 cincelada a mano por artesanos del sur."},
		},
		[]size{{"Taille S", 600, 1200, 120, 100, 100, 50}, {"Taille M", 650, 1300, 130, 100, 100, 50}},
		nil},
	"silver-fibula": {"jewelry-metal", craft, "standard", "", "FIB",
		[]tr{
			{"تازرزيت فضية", "Fibule tazerzit en argent", "Silver tazerzit fibula", "Fíbula tazerzit de plata"},
			{"خلالة فضية", "Fibule berbère en argent", "Amazigh silver fibula", "Fíbula amazigh de plata"},
		},
		[]tr{
			{"المشبك المثلث الذي تثبت به النساء الأمازيغيات ملاحفهن.", "La broche triangulaire qui retient le drapé des femmes amazighes.", "The triangular brooch that holds Amazigh women's draped robes.", "El broche triangular que sujeta el drapeado de las mujeres amazigh."},
		},
		[]size{{"Paire", 900, 1800, 200, 150, 100, 50}},
		nil},
	"lantern": {"jewelry-metal", craft, "standard", "", "LAN",
		[]tr{
			{"فانوس نحاسي مخرم", "Lanterne en laiton ajouré", "Pierced brass lantern", "Farol de latón calado"},
			{"فانوس بالزجاج الملون", "Lanterne à verres colorés", "Coloured-glass lantern", "Farol de cristales de colores"},
		},
		[]tr{
			{"يرسم الضوء المار عبر الثقوب زخارف على الجدران.", "La lumière qui passe par les ajours dessine des motifs sur les murs.", "Light through the piercings casts patterns on the walls.", "La luz que pasa por los calados dibuja motivos en las paredes."},
		},
		[]size{{"H 40 cm", 300, 550, 1500, 250, 250, 450}, {"H 60 cm", 500, 900, 2600, 320, 320, 650}},
		nil},
	"teapot": {"jewelry-metal", craft, "standard", "", "THE",
		[]tr{
			{"براد مغربي", "Théière marocaine", "Moroccan teapot", "Tetera marroquí"},
			{"براد منقوش", "Théière ciselée", "Chased teapot", "Tetera cincelada"},
		},
		[]tr{
			{"براد من المعدن المفضض، منقوش باليد، لصب الشاي من عل.", "Métal argenté ciselé à la main, pour verser le thé de haut.", "Silver-plated metal chased by hand, for pouring tea from on high.", "Metal plateado cincelado a mano, para servir el té desde lo alto."},
		},
		[]size{{"0,6 L", 180, 320, 700, 220, 160, 200}, {"1 L", 260, 450, 950, 250, 180, 240}},
		nil},
}

// origins tie a product to its maker, by kind of vendor: {maker} is how
// descriptions name the vendor, {at} where it works, {region} its region.
var origins = map[founders][]tr{
	women:    coopOrigins,
	farmers:  coopOrigins,
	crafters: coopOrigins,
	fishers:  coopOrigins,
	family: {
		{"من صنع {maker} في {at}.", "Fait main par {maker} à {at}.", "Handmade by {maker} in {at}.", "Hecho a mano por {maker} en {at}."},
		{"يباع مباشرة من طرف {maker} دون وسيط.", "Vendu directement par {maker}, sans intermédiaire.", "Sold directly by {maker}, with no middleman.", "Vendido directamente por {maker}, sin intermediarios."},
		{"صنعة من {at}، بجهة {region}.", "Un savoir-faire de {at}, dans la région de {region}.", "A craft of {at}, in the {region} region.", "Un oficio de {at}, en la región de {region}."},
	},
	company: {
		{"منتوج منتقى من تعاونيات شريكة تشحنه {maker}.", "Sélectionné auprès de coopératives partenaires et expédié par {maker}.", "Sourced from partner cooperatives and shipped by {maker}.", "Seleccionado en cooperativas socias y enviado por {maker}."},
		{"تراقبه {maker} وتعبئه في {at} قبل التصدير.", "Contrôlé et conditionné par {maker} à {at} avant l'export.", "Checked and packed by {maker} in {at} before export.", "Controlado y envasado por {maker} en {at} antes de la exportación."},
		{"متوفر بالجملة للمهنيين: اطلبوا عرض سعر من {maker}.", "Disponible en vrac pour les professionnels : demandez un devis à {maker}.", "Available in bulk for trade buyers: ask {maker} for a quote.", "Disponible a granel para profesionales: pida presupuesto a {maker}."},
	},
}

var coopOrigins = []tr{
	{"من إنتاج {maker} في {at}.", "Produit par {maker} à {at}.", "Made by {maker} in {at}.", "Elaborado por {maker} en {at}."},
	{"كل عملية شراء تعود مباشرة بالنفع على أعضاء {maker}.", "Chaque achat rémunère directement les membres de {maker}.", "Every purchase pays the members of {maker} directly.", "Cada compra remunera directamente a los socios de {maker}."},
	{"يباع مباشرة من طرف {maker} دون وسيط.", "Vendu directement par {maker}, sans intermédiaire.", "Sold directly by {maker}, with no middleman.", "Vendido directamente por {maker}, sin intermediarios."},
	{"منتوج من {at}، بجهة {region}.", "Un produit de {at}, dans la région de {region}.", "A product of {at}, in the {region} region.", "Un producto de {at}, en la región de {region}."},
}

// closers end a description: care, use, packing, by group.
var closers = [...][]tr{
	food: {
		{"يحفظ بعيدا عن الضوء والحرارة.", "À conserver à l'abri de la lumière et de la chaleur.", "Store away from light and heat.", "Consérvese protegido de la luz y del calor."},
		{"بدون مواد مضافة أو حافظة.", "Sans additif ni conservateur.", "No additives or preservatives.", "Sin aditivos ni conservantes."},
		{"معبأ يدويا على دفعات صغيرة.", "Conditionné à la main en petites séries.", "Packed by hand in small batches.", "Envasado a mano en pequeñas series."},
		{"هدية مثالية في رمضان والأعياد.", "Idéal à offrir pendant le Ramadan et les fêtes.", "A fine gift for Ramadan and the holidays.", "Un regalo ideal para el Ramadán y las fiestas."},
		{"يفضل استهلاكه خلال اثني عشر شهرا.", "À consommer de préférence dans les douze mois.", "Best within twelve months.", "Consumir preferentemente en doce meses."},
		{"دفعة متتبعة من الجني إلى الشحن.", "Lot tracé de la récolte à l'expédition.", "Traceable from harvest to shipping.", "Lote trazable desde la cosecha hasta el envío."},
	},
	cosmetic: {
		{"مناسب لجميع أنواع البشرة.", "Convient à tous les types de peau.", "Suits every skin type.", "Apto para todo tipo de piel."},
		{"لم يجرب على الحيوانات.", "Non testé sur les animaux.", "Not tested on animals.", "No testado en animales."},
		{"يفضل استعماله خلال ستة أشهر بعد الفتح.", "À utiliser de préférence dans les six mois après ouverture.", "Best used within six months of opening.", "Utilizar preferentemente en los seis meses siguientes a su apertura."},
		{"بدون عطور اصطناعية أو بارابين.", "Sans parfum de synthèse ni paraben.", "No synthetic fragrance or parabens.", "Sin perfumes sintéticos ni parabenos."},
		{"معبأ في قنينة زجاجية قابلة لإعادة التدوير.", "Conditionné en flacon de verre recyclable.", "Packed in a recyclable glass bottle.", "Envasado en frasco de vidrio reciclable."},
	},
	textile: {
		{"ينصح بالغسل اليدوي أو التنظيف لدى مختص.", "Lavage à la main ou nettoyage professionnel conseillé.", "Hand wash or professional cleaning recommended.", "Se recomienda lavado a mano o limpieza profesional."},
		{"قطعة فريدة: قد تختلف الألوان قليلا عن الصورة.", "Pièce unique : les couleurs peuvent varier légèrement de la photo.", "One of a kind: colours may differ slightly from the photo.", "Pieza única: los colores pueden variar ligeramente respecto a la foto."},
		{"أصباغ طبيعية: الحناء والفوة والنيلة وقشر الرمان.", "Teintures naturelles : henné, garance, indigo et écorce de grenade.", "Natural dyes: henna, madder, indigo and pomegranate peel.", "Tintes naturales: henna, rubia, índigo y cáscara de granada."},
		{"يشحن ملفوفا في غلاف قطني.", "Expédié roulé, dans une housse en coton.", "Shipped rolled in a cotton cover.", "Se envía enrollado en una funda de algodón."},
		{"منسوج على نول تقليدي، دون آلة.", "Tissé sur un métier traditionnel, sans machine.", "Woven on a traditional loom, no machines.", "Tejido en telar tradicional, sin máquinas."},
	},
	craft: {
		{"مصنوع يدويا بالكامل: كل قطعة فريدة.", "Fait entièrement à la main : chaque pièce est unique.", "Entirely handmade: every piece is unique.", "Hecho completamente a mano: cada pieza es única."},
		{"تغليف معزز للنقل داخل المغرب وخارجه.", "Emballage renforcé pour le transport, au Maroc comme à l'étranger.", "Reinforced packaging for shipping, in Morocco and abroad.", "Embalaje reforzado para el envío, en Marruecos y al extranjero."},
		{"قد تختلف الأبعاد ببضعة مليمترات من قطعة إلى أخرى.", "Les dimensions peuvent varier de quelques millimètres d'une pièce à l'autre.", "Sizes may vary by a few millimetres from piece to piece.", "Las medidas pueden variar unos milímetros de una pieza a otra."},
		{"مصنوع بمواد من المنطقة، وفق تقنيات المعلمين المتوارثة.", "Fabriqué avec des matériaux de la région, selon les gestes transmis par les maâlems.", "Made with local materials, by techniques handed down from the master craftsmen.", "Hecho con materiales de la región, según las técnicas transmitidas por los maestros artesanos."},
		{"يمكن تكييف الأبعاد والألوان حسب الطلب.", "Dimensions et couleurs adaptables sur commande.", "Sizes and colours can be adapted to order.", "Medidas y colores adaptables por encargo."},
	},
}
