package demo

import "souk/internal/vendor"

// seed is one demo vendor: its trade, its own name, where it works, and its
// region (a morocco.Regions code).
type seed struct {
	trade  *trade
	name   place
	at     place  // the douar, oasis or town where it works
	city   string // the postal town
	region string
	names  tr           // display names, when the trade's pattern does not fit
	books  *bookProfile // what a publisher or bookshop sells
}

const (
	tta = "tanger-tetouan-al-hoceima"
	ori = "oriental"
	fme = "fes-meknes"
	rsk = "rabat-sale-kenitra"
	bmk = "beni-mellal-khenifra"
	cse = "casablanca-settat"
	msa = "marrakech-safi"
	dta = "draa-tafilalet"
	sma = "souss-massa"
	gon = "guelmim-oued-noun"
	lsh = "laayoune-sakia-el-hamra"
	dod = "dakhla-oued-ed-dahab"
)

// seeds are the demo vendors in the order they are created. The first 60
// (the fewest Load makes) already cover the 12 regions, every kind and
// eight publishers; the default 64 add two publishers, a Safi potter and a
// second rose cooperative. Past the list, vendors repeat the regional
// seeds under other names (extraNames).
var seeds = []seed{
	// Tanger-Tétouan-Al Hoceïma: Chefchaouen weaving, Jebli hats, Ouezzane
	// olive oil, arbutus honey, the fishers of Al Hoceïma, Tétouan embroidery.
	{trade: northWeaving, name: place{"Al Wahda", "الوحدة"}, at: place{"Chefchaouen", "شفشاون"}, city: "Chefchaouen", region: tta},
	{trade: basketTrade, name: place{"Jbala", "جبالة"}, at: place{"Bab Taza", "باب تازة"}, city: "Chefchaouen", region: tta},
	{trade: oliveTrade, name: place{"Zitouna Ouezzane", "زيتونة وزان"}, at: place{"Ouezzane", "وزان"}, city: "Ouezzane", region: tta},
	{trade: arbutusTrade, name: place{"Nahla", "نحلة"}, at: place{"Moulay Abdessalam", "مولاي عبد السلام"}, city: "Larache", region: tta},
	{trade: seaTrade, name: place{"Badis", "بادس"}, at: place{"Al Hoceïma", "الحسيمة"}, city: "Al Hoceïma", region: tta},
	{trade: embroideryTrade, name: place{"Tarz Titouani", "الطرز التطواني"}, at: place{"Tétouan", "تطوان"}, city: "Tétouan", region: tta},

	// L'Oriental: Figuig dates, rosemary of the high plateaus, olive oil.
	{trade: figuigTrade, name: place{"Zenaga", "زناكة"}, at: place{"Figuig", "فكيك"}, city: "Figuig", region: ori},
	{trade: rosemaryTrade, name: place{"Azir", "أزير"}, at: place{"Aïn Bni Mathar", "عين بني مطهر"}, city: "Aïn Bni Mathar", region: ori},
	{trade: oliveTrade, name: place{"Zaytouna", "الزيتونة"}, at: place{"Taourirt", "تاوريرت"}, city: "Taourirt", region: ori},
	{trade: exportFood, name: place{"Oriental Terroir", "الشرق تيروار"}, at: place{"Oujda", "وجدة"}, city: "Oujda", region: ori},

	// Fès-Meknès: zellige, leather and blue pottery of Fès, Zerhoun olive
	// oil, Middle Atlas rugs of Azrou, ghassoul of the Moulouya.
	{trade: zelligeTrade, name: place{"Benchekroun", "بنشقرون"}, at: place{"Fès", "فاس"}, city: "Fès", region: fme},
	{trade: leatherTrade, name: place{"Chouara", "شوارة"}, at: place{"Fès", "فاس"}, city: "Fès", region: fme},
	{trade: potteryTrade, name: place{"Aïn Nokbi", "عين النقبي"}, at: place{"Fès", "فاس"}, city: "Fès", region: fme},
	{trade: oliveTrade, name: place{"Zerhoun", "زرهون"}, at: place{"Moulay Idriss Zerhoun", "مولاي إدريس زرهون"}, city: "Meknès", region: fme},
	{trade: rugTrade, name: place{"Tighanimine", "تيغانيمين"}, at: place{"Azrou", "أزرو"}, city: "Azrou", region: fme},
	{trade: ghassoulTrade, name: place{"Tamlalt", "تاملالت"}, at: place{"Missour", "ميسور"}, city: "Missour", region: fme},

	// Rabat-Salé-Kénitra: couscous, Zemmour rugs, Zaër lentils, a crafts
	// exporter in Salé.
	{trade: couscousTrade, name: place{"Al Baraka", "البركة"}, at: place{"Tiflet", "تيفلت"}, city: "Tiflet", region: rsk},
	{trade: zemmourTrade, name: place{"Zemmour", "زمور"}, at: place{"Khémisset", "الخميسات"}, city: "Khémisset", region: rsk},
	{trade: pulseTrade, name: place{"Zaër", "زعير"}, at: place{"Rommani", "الرماني"}, city: "Rommani", region: rsk},
	{trade: exportCrafts, name: place{"Bouregreg Crafts", "أبي رقراق للصناعة التقليدية"}, at: place{"Salé", "سلا"}, city: "Salé", region: rsk},

	// Béni Mellal-Khénifra: Zayane and Azilal rugs, cedar of Khénifra,
	// euphorbia honey of Tadla-Azilal.
	{trade: rugTrade, name: place{"Tamount", "تامونت"}, at: place{"Khénifra", "خنيفرة"}, city: "Khénifra", region: bmk},
	{trade: azilalTrade, name: place{"Aït Bouguemez", "آيت بوكماز"}, at: place{"Tabant", "تابانت"}, city: "Azilal", region: bmk},
	{trade: cedarTrade, name: place{"Ajdir", "أجدير"}, at: place{"Khénifra", "خنيفرة"}, city: "Khénifra", region: bmk},
	{trade: honeyTrade, name: place{"Tadla", "تادلة"}, at: place{"Ouaouizeght", "واويزغت"}, city: "Azilal", region: bmk},

	// Casablanca-Settat: Chaouia couscous, Oualidia salt, Azemmour
	// embroidery, a food exporter.
	{trade: couscousTrade, name: place{"Chaouia", "الشاوية"}, at: place{"Berrechid", "برشيد"}, city: "Berrechid", region: cse},
	{trade: saltTrade, name: place{"Oualidia", "الوليدية"}, at: place{"Oualidia", "الوليدية"}, city: "Oualidia", region: cse},
	{trade: embroideryTrade, name: place{"Oum Errabia", "أم الربيع"}, at: place{"Azemmour", "أزمور"}, city: "Azemmour", region: cse},
	{trade: exportFood, name: place{"Anfa Terroir", "أنفا تيروار"}, at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse},

	// Marrakech-Safi: Safi pottery, thuya of Essaouira, argan of the
	// Chiadma, leather, tadelakt and lanterns of Marrakech.
	{trade: potteryTrade, name: place{"Lamrani", "اللمراني"}, at: place{"Safi", "آسفي"}, city: "Safi", region: msa},
	{trade: thuyaTrade, name: place{"Mogador", "موكادور"}, at: place{"Essaouira", "الصويرة"}, city: "Essaouira", region: msa},
	{trade: argan, name: place{"Ajddig", "أجديك"}, at: place{"Smimou", "سميمو"}, city: "Essaouira", region: msa},
	{trade: leatherTrade, name: place{"Dar Dbagh", "دار الدباغ"}, at: place{"Marrakech", "مراكش"}, city: "Marrakech", region: msa},
	{trade: tadelaktTrade, name: place{"Mouassine", "المواسين"}, at: place{"Marrakech", "مراكش"}, city: "Marrakech", region: msa},
	{trade: metalTrade, name: place{"Haddadine", "الحدادين"}, at: place{"Marrakech", "مراكش"}, city: "Marrakech", region: msa},

	// Drâa-Tafilalet: roses of Kelâat M'Gouna, Majhoul dates of Erfoud,
	// Bouffeggous of Zagora, green pottery of Tamegroute.
	{trade: roseTrade, name: place{"Tanirt", "تانيرت"}, at: place{"Kelâat M'Gouna", "قلعة مكونة"}, city: "Kelâat M'Gouna", region: dta},
	{trade: datesTrade, name: place{"Ziz", "زيز"}, at: place{"Erfoud", "أرفود"}, city: "Erfoud", region: dta},
	{trade: datesTrade, name: place{"Annakhil", "النخيل"}, at: place{"Zagora", "زاكورة"}, city: "Zagora", region: dta},
	{trade: tamegrouteTrade, name: place{"Tamegroute", "تامكروت"}, at: place{"Tamegroute", "تامكروت"}, city: "Zagora", region: dta},

	// Souss-Massa: argan of Taroudant and Agadir, amlou of Tiznit, saffron
	// of Taliouine, almonds of Tafraout, Tiznit silver, henna of Tata.
	{trade: argan, name: place{"Tifaouine", "تيفاوين"}, at: place{"Tioute", "تيوت"}, city: "Taroudant", region: sma},
	{trade: argan, name: place{"Tamaynut", "تاماينوت"}, at: place{"Amskroud", "أمسكرود"}, city: "Agadir", region: sma},
	{trade: amlouTrade, name: place{"Tafoukt", "تافوكت"}, at: place{"Tighmi", "تيغمي"}, city: "Tiznit", region: sma},
	{trade: saffronTrade, name: place{"Siroua", "سيروا"}, at: place{"Taliouine", "تالوين"}, city: "Taliouine", region: sma},
	{trade: almondTrade, name: place{"Ammeln", "أملن"}, at: place{"Tafraout", "تافراوت"}, city: "Tafraout", region: sma},
	{trade: silverTrade, name: place{"Tazerzit", "تازرزيت"}, at: place{"Tiznit", "تيزنيت"}, city: "Tiznit", region: sma},
	{trade: hennaTrade, name: place{"Tilila", "تيليلا"}, at: place{"Foum Zguid", "فم زكيد"}, city: "Tata", region: sma},
	{trade: exportFood, name: place{"Souss Terroir", "سوس تيروار"}, at: place{"Agadir", "أكادير"}, city: "Agadir", region: sma},

	// Guelmim-Oued Noun: prickly pear seed oil of the Aït Baâmrane,
	// Sahrawi crafts of Guelmim.
	{trade: cactusTrade, name: place{"Aït Baâmrane", "آيت باعمران"}, at: place{"Sidi Ifni", "سيدي إفني"}, city: "Sidi Ifni", region: gon},
	{trade: sahrawiTrade, name: place{"Asrir", "أسرير"}, at: place{"Guelmim", "كلميم"}, city: "Guelmim", region: gon},

	// Laâyoune-Sakia El Hamra: the great tent's crafts, sardines of Foum
	// El Oued.
	{trade: sahrawiTrade, name: place{"Al Khaima", "الخيمة"}, at: place{"Laâyoune", "العيون"}, city: "Laâyoune", region: lsh},
	{trade: seaTrade, name: place{"Foum El Oued", "فم الواد"}, at: place{"Foum El Oued", "فم الواد"}, city: "Laâyoune", region: lsh},

	// Dakhla-Oued Ed-Dahab: the artisans of the Dakhla market, Saharan
	// euphorbia honey.
	{trade: sahrawiTrade, name: place{"Tiris", "تيرس"}, at: place{"Dakhla", "الداخلة"}, city: "Dakhla", region: dod},
	{trade: honeyTrade, name: place{"Oued Eddahab", "وادي الذهب"}, at: place{"Bir Anzarane", "بئر أنزران"}, city: "Dakhla", region: dod},

	// Publishers and bookshops of Casablanca and Rabat.
	{trade: publisherTrade, names: tr{"منشورات الفنك", "Éditions Le Fennec", "Le Fennec Publishing", "Ediciones Le Fennec"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 4, langs: [5]int{35, 55, 2, 5, 3}, cats: [6]int{45, 30, 5, 5, 0, 15}}},
	{trade: publisherTrade, names: tr{"ملتقى الطرق", "La Croisée des Chemins", "La Croisée des Chemins", "La Croisée des Chemins"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 3, langs: [5]int{10, 75, 2, 8, 5}, cats: [6]int{30, 35, 5, 5, 0, 25}}},
	{trade: publisherTrade, names: tr{"المركز الثقافي العربي", "Centre Culturel Arabe", "Arab Cultural Centre", "Centro Cultural Árabe"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 5, langs: [5]int{95, 5, 0, 0, 0}, cats: [6]int{40, 25, 30, 0, 5, 0}}},
	{trade: publisherTrade, names: tr{"دار توبقال للنشر", "Dar Toubkal", "Dar Toubkal Publishing", "Editorial Dar Toubkal"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 3, langs: [5]int{90, 10, 0, 0, 0}, cats: [6]int{40, 20, 35, 0, 0, 5}}},
	{trade: publisherTrade, names: tr{"منشورات يوماد", "Éditions Yomad", "Yomad Books", "Ediciones Yomad"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 2, langs: [5]int{45, 45, 5, 5, 0}, cats: [6]int{0, 0, 0, 90, 10, 0}}},
	{trade: publisherTrade, names: tr{"منشورات مرسم", "Éditions Marsam", "Marsam Editions", "Ediciones Marsam"},
		at: place{"Rabat", "الرباط"}, city: "Rabat", region: rsk,
		books: &bookProfile{weight: 2, langs: [5]int{55, 40, 2, 2, 1}, cats: [6]int{45, 15, 5, 0, 0, 35}}},
	{trade: publisherTrade, names: tr{"منشورات أزول", "Éditions Azul", "Azul Editions", "Ediciones Azul"},
		at: place{"Rabat", "الرباط"}, city: "Rabat", region: rsk,
		books: &bookProfile{weight: 2, langs: [5]int{10, 10, 80, 0, 0}, cats: [6]int{40, 10, 0, 25, 25, 0}}},
	{trade: booksellerTrade, names: tr{"مكتبة كليلة ودمنة", "Librairie Kalila Wa Dimna", "Kalila Wa Dimna Bookshop", "Librería Kalila Wa Dimna"},
		at: place{"Rabat", "الرباط"}, city: "Rabat", region: rsk,
		books: &bookProfile{weight: 5, langs: [5]int{45, 42, 4, 5, 4}, cats: [6]int{30, 25, 15, 10, 10, 10},
			imprints: []string{"Éditions Okad", "Dar Al Maarifa", "Éditions Bouregreg", "Éditions Tarik", "Senso Unico", "Dar Al Kalima", "Éditions La Porte", "Afrique Orient"}}},

	// The rest of the default 64.
	{trade: publisherTrade, names: tr{"دار الأمان", "Dar Al Aman", "Dar Al Aman", "Dar Al Aman"},
		at: place{"Rabat", "الرباط"}, city: "Rabat", region: rsk,
		books: &bookProfile{weight: 3, langs: [5]int{85, 15, 0, 0, 0}, cats: [6]int{55, 20, 15, 5, 0, 5}}},
	{trade: booksellerTrade, names: tr{"مكتبة المدارس", "Librairie des Écoles", "Librairie des Écoles", "Librería de las Escuelas"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 4, langs: [5]int{50, 45, 3, 2, 0}, cats: [6]int{5, 5, 5, 30, 55, 0},
			imprints: []string{"Dar Attaqafa", "Éditions Nathan Maroc", "Dar Al Maarifa", "Éditions Okad", "Librairie des Écoles"}}},
	{trade: potteryTrade, name: place{"Bab Chaaba", "باب الشعبة"}, at: place{"Safi", "آسفي"}, city: "Safi", region: msa},
	{trade: roseTrade, name: place{"Azlag", "أزلاك"}, at: place{"Boumalne Dadès", "بومالن دادس"}, city: "Boumalne Dadès", region: dta},

	// Larger demos only.
	{trade: saffronTrade, name: place{"Tinfat", "تينفات"}, at: place{"Askaoun", "أسكاون"}, city: "Taliouine", region: sma},
	{trade: datesTrade, name: place{"Sijilmassa", "سجلماسة"}, at: place{"Rissani", "الريصاني"}, city: "Rissani", region: dta},
	{trade: honeyTrade, name: place{"Tighmert", "تغمرت"}, at: place{"Tighmert", "تغمرت"}, city: "Guelmim", region: gon},
	{trade: seaTrade, name: place{"Lassarga", "لاسارغا"}, at: place{"Lassarga", "لاسارغا"}, city: "Dakhla", region: dod},
	{trade: honeyTrade, name: place{"Beni Snassen", "بني يزناسن"}, at: place{"Tafoughalt", "تافوغالت"}, city: "Berkane", region: ori},
	{trade: oliveTrade, name: place{"Al Khair", "الخير"}, at: place{"Béni Mellal", "بني ملال"}, city: "Béni Mellal", region: bmk},
	{trade: sahrawiTrade, name: place{"Saguia", "الساقية"}, at: place{"Es-Semara", "السمارة"}, city: "Es-Semara", region: lsh},
	{trade: cuminTrade, name: place{"Rhamna", "الرحامنة"}, at: place{"Ben Guerir", "ابن جرير"}, city: "Ben Guerir", region: msa},
	{trade: cedarTrade, name: place{"Arz Al Atlas", "أرز الأطلس"}, at: place{"Azrou", "أزرو"}, city: "Azrou", region: fme},
	{trade: publisherTrade, names: tr{"إفريقيا الشرق", "Afrique Orient", "Afrique Orient", "Afrique Orient"},
		at: place{"Casablanca", "الدار البيضاء"}, city: "Casablanca", region: cse,
		books: &bookProfile{weight: 3, langs: [5]int{70, 30, 0, 0, 0}, cats: [6]int{20, 30, 40, 0, 10, 0}}},
}

// seedStatus gives the vendors that are not approved, by position in
// seeds: three applications for the operator to review and one suspended
// exporter.
func seedStatus(i int) vendor.Status {
	switch i {
	case 5, // Tétouan embroiderers, new on the platform
		18, // Zaër lentil growers
		50: // Tiris, Dakhla: registered through the regional market
		return vendor.Applied
	case 9: // Oriental Terroir: a quality check is pending
		return vendor.Suspended
	}
	return vendor.Approved
}

// extraNames rename the regional seeds when more vendors are asked for than
// seeds has.
var extraNames = []place{
	{"Al Amal", "الأمل"}, {"Tiwizi", "تيويزي"}, {"Annour", "النور"}, {"Al Wafa", "الوفاء"},
	{"Tagmat", "تاكمات"}, {"Izouran", "إزوران"}, {"Annahda", "النهضة"}, {"Al Ikhlas", "الإخلاص"},
	{"Tanmirt", "تانميرت"}, {"Assafa", "الصفاء"}, {"Ighrem", "إغرم"}, {"Tafsut", "تافسوت"},
}

// localities are the three-digit locality codes of the demo RIBs, by
// region: plausible values, not a bank's table.
var localities = map[string][]string{
	tta: {"640", "645", "620"}, ori: {"570", "575"}, fme: {"270", "275", "470"}, rsk: {"810", "815", "330"},
	bmk: {"090", "095"}, cse: {"780", "785", "790"}, msa: {"450", "455", "660"}, dta: {"280", "285"},
	sma: {"010", "015", "730"}, gon: {"335", "338"}, lsh: {"360", "365"}, dod: {"200", "205"},
}

// banks are real Moroccan bank codes (Attijariwafa, BMCE/Bank of Africa,
// BMCI, Crédit du Maroc, Société Générale, Crédit Agricole, Banque
// Populaire and others).
var banks = []string{"007", "011", "013", "021", "022", "050", "101", "145", "190", "225", "230"}
