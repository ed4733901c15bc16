import type { TemplateSource } from '@accord/shared'

/**
 * The clause library a new installation starts with, and the model MOU assembled from it.
 * Written for this product in plain language; see shared/src/templates/source.ts for the format
 * and shared/src/templates/variables.ts for the only `{{key}}` variables used here.
 */
export const STARTER_TEMPLATES: readonly TemplateSource[] = [
  // ─── Purpose and definitions ───────────────────────────────────────────────────────────────
  {
    key: 'purpose',
    category: 'foundations',
    title: 'Purpose and guiding principles',
    summary: 'Why the parties are signing this agreement and the principles that guide every other section.',
    body: [
      'This memorandum of understanding (“agreement”) explains how {{district}} and {{policeDepartment}} will work together now that police officers are no longer assigned to district schools. It sets out the few situations in which police come to a school, what officers do and do not do while there, and how the public can hold both parties to their promises.',
      'The {{district}} Board of Education decided that schools, not police, are responsible for student behavior, discipline and well-being. Police have a narrow role: responding to emergencies and serious crimes, and supporting the district’s safety planning. Every part of this agreement should be read with that decision in mind.',
      'The parties share these principles:',
      '- Every student deserves a school where they are safe, welcome and treated fairly.\n' +
        '- Student behavior is first a matter for educators, counselors and families, not the justice system.\n' +
        '- Contact between students and police should be rare, respectful and as short as possible.\n' +
        '- Groups of students who have been disciplined and arrested at higher rates, including students of color and students with disabilities, deserve particular attention to fairness.\n' +
        '- Decisions should be open, based on data, and subject to review by the community.',
    ],
  },
  {
    key: 'definitions',
    category: 'foundations',
    title: 'Definitions',
    summary: 'Defines the words this agreement uses so that everyone reads them the same way.',
    body: [
      'In this agreement:',
      '- “Board” means the {{district}} Board of Education.\n' +
        '- “School” means any school, building, bus or event run by {{district}}, including school grounds.\n' +
        '- “Principal or designee” means the principal of a school or a staff member the principal has named in writing to act in their place.\n' +
        '- “Officer” means any sworn member of {{policeDepartment}}.\n' +
        '- “Parent” means a parent, legal guardian or other adult with legal responsibility for a student, or the student if they are 18 or older.\n' +
        '- “Trusted adult” means a school staff member or other adult the student chooses to support them, such as a counselor, teacher or social worker.\n' +
        '- “School discipline matter” means conduct that breaks a school rule and can be handled by the school, whether or not it could also be a minor offense.\n' +
        '- “Emergency” means a situation that puts someone’s life or safety at immediate risk, such as an active threat, an intruder or a serious injury.\n' +
        '- “Imminent threat” means a real and immediate danger that a person will be seriously hurt if no one acts right away.\n' +
        '- “Crime of violence” means a serious crime that hurts or threatens to seriously hurt a person, such as an assault causing serious injury, a sexual assault, a robbery, or any crime involving a gun or other deadly weapon. The written call protocol lists these crimes.\n' +
        '- “Diversion” means a response to a possible offense that keeps a young person out of court, such as a restorative process, a community program or services for the student and family.\n' +
        '- “Education record” has the meaning given in the Family Educational Rights and Privacy Act (FERPA).',
    ],
  },

  // ─── The police role ───────────────────────────────────────────────────────────────────────
  {
    key: 'police-role',
    category: 'police-role',
    title: 'Scope of the police role',
    summary: 'Describes the limited work officers do in connection with district schools.',
    body: [
      '{{policeDepartment}} will not assign officers to work in district schools on a regular basis. No officer will have an office, desk or regular post in a school. Officers come to a school only in the situations this agreement describes.',
      'When officers come to a school, their role is limited to:',
      '- responding to emergencies and imminent threats to anyone’s safety;\n' +
        '- investigating crimes of violence and other serious crimes reported by the principal or designee;\n' +
        '- carrying out a court order or warrant, following the rules in “Officers on school grounds”;\n' +
        '- taking part in district-led emergency drills and safety planning when the district asks; and\n' +
        '- providing traffic or crowd safety at school events when the district asks in writing.',
      'Officers at a school act under {{policeDepartment}} policy and this agreement. They do not supervise students or enforce school rules. School staff do not direct how officers do police work, and officers do not direct how staff teach or discipline students.',
    ],
  },
  {
    key: 'officer-limits',
    category: 'police-role',
    title: 'What officers will not do',
    summary: 'Lists school matters that officers will not handle, even if asked.',
    body: [
      'Officers will not take part in school discipline. School staff will not call police about, and officers will not act on, matters such as:',
      '- dress code or uniform violations;\n' +
        '- attendance, tardiness or truancy;\n' +
        '- disrespect, defiance, disruption, swearing or refusing to follow directions;\n' +
        '- pushing, shoving or fights in which no one is seriously hurt and no weapon is used;\n' +
        '- possession of tobacco, vaping products, or small amounts of alcohol or marijuana;\n' +
        '- graffiti, minor damage to property, or theft of items of low value;\n' +
        '- phone and technology rules; or\n' +
        '- searches of lockers, bags or phones for school purposes.',
      'Officers will not patrol hallways, cafeterias or classrooms, attend or advise on discipline meetings, or recommend suspension or expulsion. If an officer notices a school rule being broken that is not an emergency or a crime of violence, the officer will tell the principal or designee and leave the matter to the school.',
      'An officer invited by a principal to a school event, such as a career day, attends as a guest and does not enforce laws or school rules there except in an emergency.',
    ],
  },
  {
    key: 'calling-police',
    category: 'police-role',
    title: 'When police may be called to a school',
    summary: 'Sets out who may call police to a school, for what reasons, and how each call is recorded.',
    body: [
      'Police may be called to a school only when:',
      '- there is an emergency;\n' +
        '- someone faces an imminent threat of serious physical harm;\n' +
        '- a crime of violence has happened or is happening at a school;\n' +
        '- an adult who is not a student or staff member is committing a crime at a school or refuses to leave and poses a risk; or\n' +
        '- the law requires the school to report the matter to police.',
      'Outside an emergency, only the principal or designee may ask police to come to a school. In an emergency, when waiting would put someone at risk, any staff member may call 911 and must tell the principal or designee right away.',
    ],
    subclauses: [
      {
        title: 'Try other help first',
        body: [
          'Unless there is an emergency, staff will first try to resolve the situation through de-escalation, counselors, mental-health staff, restorative practices or the student’s family. Calling police is never a substitute for school discipline or student support.',
        ],
      },
      {
        title: 'Written call protocol',
        body: [
          'Within 60 days after {{effectiveDate}}, the {{districtLiaison}} and the {{policeLiaison}} will adopt a short written protocol that helps staff decide whether to call police, lists crimes of violence, and explains whom to call and what to record. The district will train every principal and designee on the protocol each school year and post it on its website.',
        ],
      },
      {
        title: 'Record of every call',
        body: [
          'Each time police are called to or come to a school, the principal or designee will record the date, time, reason, who made the call, the students involved and the outcome. These records are used for the public reports this agreement requires.',
        ],
      },
    ],
  },
  {
    key: 'officers-on-campus',
    category: 'police-role',
    title: 'Officers on school grounds',
    summary: 'Sets ground rules for any officer who comes to a school, for any reason.',
    body: [
      'Except in an emergency, an officer who comes to a school will first check in at the main office and tell the principal or designee why they are there. Officers will:',
      '- not enter a classroom or remove a student from class, except in an emergency; the principal or designee will bring the student to a private place instead;\n' +
        '- keep their visit as short as possible and avoid disrupting learning;\n' +
        '- avoid arresting or questioning students in front of other students; and\n' +
        '- leave the school once the reason for their visit has been dealt with.',
      'When an officer needs to contact a student about something that did not happen at school, such as serving a warrant or following up on an incident in the neighborhood, the officer will contact the student away from school, with the family, whenever possible. The officer will come to the school only if there is an urgent safety reason that cannot wait.',
    ],
  },
  {
    key: 'arrests-citations-referrals',
    category: 'police-role',
    title: 'Arrests, citations and referrals',
    summary: 'Sets high thresholds for arresting, ticketing or referring students to court, and puts diversion first.',
    body: [
      'An arrest, ticket or court referral can follow a young person for years. Officers will use them for conduct at school only as a last resort, after considering every other option.',
    ],
    subclauses: [
      {
        title: 'No tickets or arrests for school discipline matters',
        body: [
          'Officers will not arrest, ticket or refer a student to court for a school discipline matter, including anything listed in “What officers will not do”.',
        ],
      },
      {
        title: 'Diversion first',
        body: [
          'When a student’s conduct could be a crime but is not a crime of violence, the officer will first consider diversion: returning the matter to the school for a restorative response, or referring the student to a diversion program. If the officer decides diversion is not appropriate, the officer will write down why.',
        ],
      },
      {
        title: 'Age and development',
        body: [
          'Elementary school students will not be arrested, ticketed or referred to court for conduct at school, unless the conduct caused or seriously threatened serious bodily injury and no other response will keep people safe. With every student, officers will consider the student’s age, development, any disability and any known trauma.',
        ],
      },
      {
        title: 'Telling the family',
        body: [
          'If a student is arrested or taken from school by police, the principal or designee will tell the parent as soon as possible and within one hour. The officer will tell the parent where the student is being taken and how to reach them.',
        ],
      },
    ],
  },
  {
    key: 'mental-health-response',
    category: 'police-role',
    title: 'Mental-health crisis response',
    summary: 'Makes mental-health professionals, not police, the first responders when a student is in crisis.',
    body: [
      'A student in emotional or mental-health crisis needs care, not police. School mental-health staff respond first. If they need more help, they call the district crisis team or a civilian crisis response team serving {{city}}, where one is available, before calling police.',
      'Police are called to a student in crisis only when the student poses an imminent threat of serious harm to themself or others that staff and crisis responders cannot safely manage, or when a weapon is involved.',
    ],
    subclauses: [
      {
        title: 'Working together',
        body: [
          'Officers who respond will work alongside mental-health staff, follow their lead whenever it is safe to do so, and use de-escalation.',
        ],
      },
      {
        title: 'Getting the student to care',
        body: [
          'If a student must be taken for an emergency mental-health evaluation, the parties prefer transport by ambulance, crisis team or parent rather than a police car. Handcuffs will not be used unless the student presents an imminent threat of serious physical harm. The school will tell the parent right away.',
        ],
      },
    ],
  },
  {
    key: 'threat-assessment',
    category: 'police-role',
    title: 'Threat assessment',
    summary: 'Keeps threat assessment in the hands of trained school teams, with police involved only for serious threats.',
    body: [
      'When a student makes a threat or behaves in a way that worries others, a school team led by school staff assesses the situation and plans support. The team includes an administrator and a mental-health professional and, for a student with a disability, someone who knows the student’s plan. The aim is to prevent harm and help the student, not to punish.',
    ],
    subclauses: [
      {
        title: 'When police take part',
        body: [
          'The team involves police only when a threat includes a weapon, a specific plan to hurt someone, or an imminent threat, or when a crime of violence may have happened. Police receive only the information they need to respond.',
        ],
      },
      {
        title: 'Records and follow-up',
        body: [
          'Threat assessment records are education records and are shared only as “Student records and data sharing” allows. The team works with the family on a support plan and checks how the student is doing afterwards.',
        ],
      },
    ],
  },
  {
    key: 'emergency-planning',
    category: 'police-role',
    title: 'Emergency and safety planning',
    summary: 'Describes how the parties plan and practice for emergencies together, with schools in the lead.',
    body: [
      'Each school has an emergency plan written and led by {{district}}. {{policeDepartment}} advises on responding to active threats, lockdowns, evacuations and family reunification, and takes part in a review of the plans each year.',
    ],
    subclauses: [
      {
        title: 'Drills',
        body: [
          'The district plans drills so they are suitable for the students’ ages and needs. Families and students are told about drills in advance. Drills will not use simulated gunfire, fake injuries or surprise scenarios that could frighten or harm students. When officers take part, staff explain to students why they are there.',
        ],
      },
      {
        title: 'Information for responders',
        body: [
          'The district gives {{policeDepartment}} floor plans, building access information and emergency contacts for each school. This does not include student records.',
        ],
      },
      {
        title: 'During and after an emergency',
        body: [
          '{{policeDepartment}} directs the police response. The district leads student accounting, reunification with families and communication with the school community. After an emergency, the district offers counseling to students and staff.',
        ],
      },
    ],
  },

  // ─── Students’ rights ──────────────────────────────────────────────────────────────────────
  {
    key: 'questioning',
    category: 'students',
    title: 'Questioning of students',
    summary: 'Protects students when officers want to question them at school.',
    body: [
      'Officers will not question a student at school unless there is an emergency, or a crime of violence is being investigated and the questions cannot wait until the student is home. Questions about breaking school rules are for school staff, not police.',
    ],
    subclauses: [
      {
        title: 'Parents first',
        body: [
          'Before an officer questions a student, the principal or designee will try to reach the parent, explain why, and give the parent a chance to be present in person or by phone. Questioning waits for the parent unless a delay would put someone at risk.',
        ],
      },
      {
        title: 'A trusted adult',
        body: [
          'If a parent cannot be reached, or the student asks, a trusted adult will be present. The trusted adult is there to support the student, not to help the investigation, and may ask for a break at any time.',
        ],
      },
      {
        title: 'Rights explained in plain words',
        body: [
          'Before any questions, the officer will explain, in words the student understands and in the student’s language with an interpreter if needed:',
          '- You have the right to stay silent. You do not have to answer questions.\n' +
            '- What you say can be used against you in court.\n' +
            '- You can talk to a lawyer before answering and have a lawyer with you. If you cannot pay, a lawyer will be provided free.\n' +
            '- You can ask for your parent or a trusted adult to be with you.\n' +
            '- You can stop answering at any time.',
          'The officer will ask the student to repeat these rights in their own words and will not go on unless the student understands them.',
        ],
      },
      {
        title: 'Staff are not agents of police',
        body: [
          'School staff will not question students for police, pass on police questions, or give police what students said in school discipline meetings, unless the parent consents or the law requires it.',
        ],
      },
    ],
  },
  {
    key: 'searches',
    category: 'students',
    title: 'Searches of students',
    summary: 'Limits police searches of students and keeps school staff from searching on behalf of police.',
    body: [
      'Officers will search a student, or a student’s belongings, locker, phone or car, only when they have legal authority to do so, such as a warrant or an emergency the law recognizes. The more flexible standard that lets school officials search for school purposes does not apply to officers.',
    ],
    subclauses: [
      {
        title: 'Consent',
        body: [
          'An officer who asks a student for permission to search will tell the student, in plain words, that they may say no. Officers will not rely on the consent of a student under 18 unless a parent is present or has been contacted and agrees.',
        ],
      },
      {
        title: 'Staff are not agents of police',
        body: [
          'School staff will not search students at the request of police, or to gather evidence for police. A search by school staff follows district policy. If staff find a weapon, illegal drugs or evidence of a crime of violence, they may hand it over to police and will tell the parent.',
        ],
      },
      {
        title: 'How searches are done',
        body: [
          '- Searches happen in private, away from other students.\n' +
            '- A pat-down is done by an officer of the same gender as the student whenever possible.\n' +
            '- No strip searches or body-cavity searches take place at school.\n' +
            '- Officers will not look through the contents of a student’s phone without a warrant, except in an emergency.',
        ],
      },
      {
        title: 'Notice and records',
        body: [
          'The principal or designee will tell the parent about any police search the same day. Every police search of a student is recorded and counted in the public reports.',
        ],
      },
    ],
  },
  {
    key: 'use-of-force',
    category: 'students',
    title: 'Use of force and restraints',
    summary: 'Limits force and restraints on students to a last resort and requires prompt reporting.',
    body: [
      'Officers will use physical force on a student only as a last resort, when de-escalation has failed or is impossible, and only the least force needed to stop an imminent threat of serious harm. Force stops as soon as the danger ends.',
    ],
    subclauses: [
      {
        title: 'Practices that are not allowed',
        body: [
          'Officers will not use on students:',
          '- chokeholds or any hold that restricts breathing or blood flow;\n' +
            '- holding a student face-down on the ground;\n' +
            '- pepper spray, Tasers or batons, except when a student presents an imminent threat of death or serious injury; or\n' +
            '- force as punishment, to make a student follow a school rule, or in retaliation.',
        ],
      },
      {
        title: 'Handcuffs and restraints',
        body: [
          'Officers will not handcuff or restrain an elementary school student unless the student presents an imminent threat of serious physical harm and nothing less will prevent it. For any student, restraints are never a punishment, are used only as long as the danger lasts, and are removed as soon as it is safe. When possible, staff who know the student’s behavior plan are consulted.',
        ],
      },
      {
        title: 'Care and reporting',
        body: ['After any use of force or restraint on a student:'],
        subclauses: [
          {
            title: 'Care and the family',
            body: ['A student who may be hurt gets medical care right away, and the parent is told the same day.'],
          },
          {
            title: 'Written report within 24 hours',
            body: [
              'The officer reports it in writing to their supervisor and to the {{districtLiaison}} within 24 hours.',
            ],
          },
          {
            title: 'Review',
            body: [
              '{{policeDepartment}} reviews each use of force or restraint, shares the result with the district, and counts it in the public reports.',
            ],
          },
        ],
      },
    ],
  },
  {
    key: 'students-with-disabilities',
    category: 'students',
    title: 'Students with disabilities',
    summary: 'Adds protections for students with disabilities during any contact with police.',
    body: [
      'Behavior connected to a disability is addressed through the student’s individualized education program (IEP), Section 504 plan or behavior plan, not by police. The district will not call police as a way to avoid its duties to students with disabilities under federal or state law.',
    ],
    subclauses: [
      {
        title: 'Before and during police contact',
        body: [
          'Before any police contact with a student who has a disability, except in an emergency, the principal or designee will tell the officer how best to communicate with the student and what helps the student stay calm, sharing only what the officer needs. A staff member who knows the student will be present.',
        ],
      },
      {
        title: 'Communication',
        body: [
          'Officers will give students the accommodations they need to understand and be understood, such as a sign language interpreter, the student’s communication device, extra time or simpler language.',
        ],
      },
      {
        title: 'Records',
        body: [
          'When the district reports a crime by a student with a disability, it shares special education and discipline records only as FERPA allows.',
        ],
      },
    ],
  },
  {
    key: 'fair-treatment',
    category: 'students',
    title: 'Fair and equal treatment',
    summary: 'Commits both parties to treat every student fairly and without bias.',
    body: [
      'Neither party will treat a student differently because of race, color, ethnicity, national origin, immigration status, language, religion, sex, gender identity, sexual orientation, disability, housing status or family income.',
      'Officers will not single out students on the basis of appearance or stereotypes, will not ask students or families about immigration status, and will treat every student with dignity and respect.',
      'The parties will use the public reports to watch for unfair patterns and will act on them as described in “Data collection and public reporting”.',
    ],
  },
  {
    key: 'restorative-practices',
    category: 'students',
    title: 'Restorative practices',
    summary: 'Commits schools to restorative responses to harm instead of punishment or police involvement.',
    body: [
      'Restorative practices bring together the people involved in a conflict or harm so they can understand what happened, repair the harm and rebuild relationships. {{district}} will use restorative practices, led by trained staff, as its first response to conflict and to most rule-breaking.',
      'An officer may refer a matter back to the school for a restorative response instead of taking enforcement action. The school will confirm to the officer that it has taken the matter up, without sharing confidential details.',
    ],
    subclauses: [
      {
        title: 'Voluntary participation',
        body: [
          'No one is required to take part in a restorative meeting. A person who was harmed is never required to meet the person who harmed them.',
        ],
      },
      {
        title: 'Staff and training',
        body: [
          'The district will employ or contract restorative-justice practitioners and train school staff so that every school can offer restorative practices.',
        ],
      },
    ],
  },

  // ─── Training ──────────────────────────────────────────────────────────────────────────────
  {
    key: 'training',
    category: 'training',
    title: 'Training',
    summary: 'Sets the training officers and school staff receive before working with students.',
    body: [
      'Every officer who is expected to respond to calls at schools, and every supervisor of those officers, will complete at least {{trainingHours}} hours of training before doing so, and refresher training each year. The training covers:',
      '- de-escalation and calming conflict with young people;\n' +
        '- special education and disability, including autism, intellectual and developmental disabilities and mental-health conditions, and how IEPs and 504 plans work;\n' +
        '- implicit bias, cultural responsiveness and the history of unequal discipline and arrest of students of color and students with disabilities;\n' +
        '- adolescent development and how it affects behavior and decisions;\n' +
        '- trauma-informed practice;\n' +
        '- restorative practices used in district schools;\n' +
        '- students’ rights under this agreement; and\n' +
        '- working with English learners, immigrant families and LGBTQ+ students.',
    ],
    subclauses: [
      {
        title: 'Who designs the training',
        body: [
          'The parties design the training together, with help from educators, mental-health professionals, students, families and community members.',
        ],
      },
      {
        title: 'Training for school staff',
        body: [
          'Each school year the district trains principals and designees on the call protocol, alternatives to calling police and students’ rights under this agreement.',
        ],
      },
      {
        title: 'Training records',
        body: [
          '{{policeDepartment}} keeps records of this training and shares a summary with the district {{reportingPeriod}}. Officers who have not completed the training will not respond to school calls except in an emergency.',
        ],
      },
    ],
  },

  // ─── Records and data ──────────────────────────────────────────────────────────────────────
  {
    key: 'student-records',
    category: 'records',
    title: 'Student records and data sharing',
    summary: 'Protects student records and limits what information passes between the district and police.',
    body: [
      'Student education records are protected by the Family Educational Rights and Privacy Act (FERPA) and state privacy law. {{district}} will not share a student’s education records or personal information with {{policeDepartment}} unless:',
      '- the parent gives written consent;\n' +
        '- a court order or lawful subpoena requires it, and the district notifies the family first where the law allows;\n' +
        '- there is a health or safety emergency and the information is needed to protect someone, as FERPA allows; or\n' +
        '- another law clearly requires it.',
      'Officers do not have access to district student information systems.',
    ],
    subclauses: [
      {
        title: 'No immigration enforcement',
        body: [
          'Information shared under this agreement will not be used for immigration enforcement or given to immigration authorities, unless a judge’s order requires it.',
        ],
      },
      {
        title: 'No gang lists',
        body: [
          'Information from schools will not be used to add a student to a gang database or any similar list.',
        ],
      },
      {
        title: 'Keeping and deleting information',
        body: [
          '{{policeDepartment}} will keep information the district shares only as long as needed for the purpose it was shared, and no longer than {{dataRetentionDays}} days after that purpose ends, unless it is part of an open criminal case or the law requires longer.',
        ],
      },
      {
        title: 'Record of disclosures',
        body: [
          'The district keeps a record of every disclosure to police, and a parent may see the record for their child.',
        ],
      },
    ],
  },
  {
    key: 'body-worn-cameras',
    category: 'records',
    title: 'Body-worn cameras',
    summary: 'Sets when officers record at schools and who can see the footage.',
    body: [
      'Officers responding to schools wear body-worn cameras and follow {{policeDepartment}} policy and state law on their use. The camera is on during any enforcement contact with a student, including questioning, searches, uses of force and arrests. When it is safe, officers tell students they are being recorded.',
    ],
    subclauses: [
      {
        title: 'Privacy at school',
        body: [
          'Except in an emergency, officers avoid recording students who are not involved, and do not record in restrooms, locker rooms, health offices or counseling rooms.',
        ],
      },
      {
        title: 'Who can see the footage',
        body: [
          'A parent and student may view footage of an incident involving the student, as the law allows. Footage of a use of force is made available to the district, and to the community advisory committee to the extent the law allows. The district will not ask for footage to use in school discipline.',
        ],
      },
      {
        title: 'Keeping footage',
        body: [
          'Footage of students that is not evidence or under review is deleted on the shortest schedule the law allows.',
        ],
      },
    ],
  },

  // ─── Accountability ────────────────────────────────────────────────────────────────────────
  {
    key: 'family-information',
    category: 'accountability',
    title: 'Information for families',
    summary: 'Makes sure families know about this agreement and their rights, in the languages they speak.',
    body: [
      'At the start of each school year, and when a student enrolls, {{district}} will tell families about this agreement and students’ rights under it. Notices are written in plain language and provided in the languages families speak, and in accessible formats for people with disabilities.',
      'The district will also:',
      '- post this agreement, a one-page summary of students’ rights and a student-friendly version on its website, and ask {{policeDepartment}} to post them too;\n' +
        '- provide free interpreters for any meeting or call about police contact with a student; and\n' +
        '- hold at least one community meeting each year about the agreement.',
    ],
    subclauses: [
      {
        title: 'Notice when police contact a student',
        body: [
          'The school will tell the parent the same day about any police questioning, search, ticket, arrest or use of force involving their child, in the language the family speaks, along with how to file a complaint.',
        ],
      },
    ],
  },
  {
    key: 'complaints',
    category: 'accountability',
    title: 'Complaints and grievances',
    summary: 'Explains how anyone can complain about police contact at school and what happens next.',
    body: [
      'Any student, parent, staff member or community member may complain about an officer’s conduct connected with a school, or about a school’s decision to call police. A complaint can be made:',
      '- online, using a form on either party’s website;\n' +
        '- by phone, email or letter, or in person at any school, district office or police station;\n' +
        '- in any language, with a free interpreter; and\n' +
        '- anonymously, or with help from a trusted adult or advocate.',
      'No one will be punished or treated worse for making a complaint.',
    ],
    subclauses: [
      {
        title: 'Where complaints go',
        body: [
          'Complaints about officers go to the office that investigates police conduct. Complaints about school staff go to the district. Whoever receives a complaint sends a copy to the {{districtLiaison}} and the {{policeLiaison}} within three school days.',
        ],
      },
      {
        title: 'Response',
        body: [
          'The office handling the complaint will confirm receipt within five days and give a written response within {{complaintDays}} days, explaining what it found and what will happen. If it needs more time, it will explain why and give a new date.',
        ],
      },
      {
        title: 'Appeal',
        body: [
          'A person who disagrees with the response may appeal in writing within 30 days to the Superintendent, for a district decision, or to the Chief of Police, for officer conduct. The appeal is decided within {{complaintDays}} days. The person may also ask the community advisory committee to review how the complaint was handled.',
        ],
      },
      {
        title: 'Reporting',
        body: [
          'The number, type and outcome of complaints, without names, are included in the public reports.',
        ],
      },
    ],
  },
  {
    key: 'public-reporting',
    category: 'accountability',
    title: 'Data collection and public reporting',
    summary: 'Requires regular public reports on police contact with students, broken down by group.',
    body: [
      'The parties will collect and publish data {{reportingPeriod}} on:',
      '- calls to police from schools, by reason;\n' +
        '- police questioning and searches of students;\n' +
        '- tickets, arrests, court referrals and diversion referrals;\n' +
        '- uses of force and restraints; and\n' +
        '- complaints and their outcomes.',
      'Each measure is broken down by race and ethnicity, disability, gender, age or grade, English learner status, and school.',
    ],
    subclauses: [
      {
        title: 'Protecting privacy',
        body: [
          'Reports leave out any figure for a group so small that a student could be identified.',
        ],
      },
      {
        title: 'Publishing the reports',
        body: [
          'Reports are posted online in plain language and in the languages families speak, presented to the Board at a public meeting, and shared with the community advisory committee.',
        ],
      },
      {
        title: 'Acting on unfair patterns',
        body: [
          'If a report shows that any group of students is affected more than others, the parties will meet with the community advisory committee within 30 days and publish a written plan to address it.',
        ],
      },
    ],
  },
  {
    key: 'advisory-committee',
    category: 'accountability',
    title: 'Community advisory committee',
    summary: 'Creates a community committee that watches how the agreement works and recommends changes.',
    body: [
      'Within 90 days after {{effectiveDate}}, the parties will set up a community advisory committee to monitor this agreement. Its members reflect the diversity of the district’s students and include:',
      '- at least two high school students;\n' +
        '- parents, including parents of students with disabilities and of English learners;\n' +
        '- teachers and other school staff;\n' +
        '- community organizations that work with young people;\n' +
        '- a mental-health professional; and\n' +
        '- one non-voting member from each party.',
      'Most voting members may not be employees of either party.',
    ],
    subclauses: [
      {
        title: 'What the committee does',
        body: [
          '- reviews the public reports and summaries of complaints and use-of-force reviews;\n' +
            '- holds at least two public meetings each year;\n' +
            '- recommends changes to this agreement and to either party’s practices; and\n' +
            '- gives a yearly report to the Board and to the Chief of Police.',
        ],
      },
      {
        title: 'Support and responses',
        body: [
          'The district provides meeting space, interpretation, childcare and stipends for student and parent members. The parties give the committee the information it needs, with student privacy protected, and respond in writing to its recommendations within 60 days.',
        ],
      },
    ],
  },

  // ─── Funding ───────────────────────────────────────────────────────────────────────────────
  {
    key: 'funding-reallocation',
    category: 'funding',
    title: 'Funding and reallocation',
    summary: 'Ends payment for school resource officers and moves the money into student mental-health support.',
    body: [
      '{{district}} will not pay {{policeDepartment}} for officers assigned to schools. Money the district spent on school resource officers will be redirected to services that support students’ mental health and well-being, such as:',
      '- school psychologists;\n' +
        '- school social workers and counselors;\n' +
        '- restorative-justice practitioners;\n' +
        '- crisis response teams made up of mental-health professionals; and\n' +
        '- family liaisons and community partners who support students and families.',
    ],
    subclauses: [
      {
        title: 'Open budgeting',
        body: [
          'The district will show in its budget how much money was redirected and how it is spent, and will report on the results to the Board each year.',
        ],
      },
      {
        title: 'Community input',
        body: [
          'Students, families and the community advisory committee will be asked for their views on how the redirected money is spent.',
        ],
      },
    ],
  },
  {
    key: 'response-costs',
    category: 'funding',
    title: 'Costs of police response',
    summary: 'States that police respond to schools as they would anywhere else, without charge to the district.',
    body: [
      '{{policeDepartment}} responds to calls from schools as it does to calls from anywhere else in {{city}}, and does not charge the district for doing so.',
      'Any other services the district asks for, such as traffic control at large school events, will be set out in a separate written agreement that states the cost and follows this agreement.',
      'Each party pays its own costs of carrying out this agreement, including training and data collection, unless the parties agree otherwise in writing.',
    ],
  },
  {
    key: 'sro-transition',
    category: 'police-role',
    title: 'Transition from school resource officers',
    summary: 'Sets out how any officers still assigned to schools are withdrawn, for use while the change is under way.',
    body: [
      'Any school resource officers still assigned to district schools on {{effectiveDate}} will be withdrawn on a schedule the {{districtLiaison}} and the {{policeLiaison}} agree in writing, ending no later than the close of the school year in which this agreement takes effect. Until they leave, those officers follow this agreement.',
    ],
    subclauses: [
      {
        title: 'Preparing each school',
        body: [
          'Before an officer leaves a school, the district will make sure the school has staff trained on the call protocol, a working emergency plan and access to mental-health and restorative services.',
        ],
      },
      {
        title: 'Telling the school community',
        body: [
          'The district will tell students, families and staff at each school about the change, what it means for them, and whom to contact with questions or concerns.',
        ],
      },
    ],
  },

  // ─── Term and administration ───────────────────────────────────────────────────────────────
  {
    key: 'liaisons',
    category: 'administration',
    title: 'Liaisons and communication',
    summary: 'Names the people who coordinate between the district and the police department.',
    body: [
      'The liaison for {{district}} is the {{districtLiaison}}. The liaison for {{policeDepartment}} is the {{policeLiaison}}. Either party may change its liaison by written notice to the other.',
      'The liaisons will:',
      '- meet at least monthly during the school year;\n' +
        '- keep the written call protocol up to date;\n' +
        '- gather the data for the public reports;\n' +
        '- coordinate training;\n' +
        '- attend meetings of the community advisory committee; and\n' +
        '- be the first contact when either party has a concern about how this agreement is working.',
      'Formal notices under this agreement are made in writing to both liaisons, with copies to the Superintendent and the Chief of Police.',
    ],
  },
  {
    key: 'review-amendment',
    category: 'administration',
    title: 'Review and amendment',
    summary: 'Sets a regular public review of the agreement and explains how it can be changed.',
    body: [
      'The parties will review this agreement at least every {{reviewMonths}} months. Each review looks at the public reports, complaints, the community advisory committee’s recommendations, and what students, families and staff say at a public meeting held for the review.',
      'Either party may propose a change at any time. A proposed change is posted for public comment for at least 30 days before it is adopted, unless it is needed urgently for safety. A change takes effect only when it is in writing and signed by both parties, and approved by the Board where Board approval is required.',
    ],
  },
  {
    key: 'term-termination',
    category: 'administration',
    title: 'Term and termination',
    summary: 'Sets when the agreement starts, how long it lasts and how either party can end it.',
    body: [
      'This agreement takes effect on {{effectiveDate}} and lasts for {{termYears}} years, unless it is ended sooner. It may be renewed in writing after a review; it does not renew automatically.',
      'Either party may end this agreement by giving the other {{noticeDays}} days’ written notice that explains the reasons. During the notice period, the parties will meet to try to resolve the concerns.',
      'If the agreement ends, the promises about student records, data deletion and privacy continue to apply to information already shared. {{policeDepartment}} will still respond to emergencies at schools as it does anywhere in {{city}}.',
    ],
  },
  {
    key: 'dispute-resolution',
    category: 'administration',
    title: 'Dispute resolution',
    summary: 'Sets out the steps for resolving disagreements between the parties.',
    body: [
      'If the parties disagree about what this agreement means or whether it is being followed, they will take these steps:',
      '- The liaisons meet within ten school days to try to resolve the disagreement.\n' +
        '- If they cannot, the Superintendent and the Chief of Police meet within 30 days.\n' +
        '- If the disagreement is still not resolved, the parties ask a mediator they both accept to help, and share the cost.',
      'While a disagreement is being resolved, both parties keep following this agreement. This process is for disagreements between the parties; complaints by individuals follow “Complaints and grievances”.',
    ],
  },
  {
    key: 'severability',
    category: 'administration',
    title: 'Severability and entire agreement',
    summary: 'Keeps the rest of the agreement in force if one part is invalid, and states that this document is the whole agreement.',
    body: [
      'If a court decides that any part of this agreement cannot be enforced, the rest of the agreement stays in effect, and the parties will meet to replace that part with one that meets the same goals.',
      'This document is the whole agreement between the parties about police involvement in district schools. It replaces any earlier agreement between them about school resource officers or police services in schools.',
      'This agreement does not take away any right that a student, parent or staff member has under federal or state law or district policy. Where a law or a policy of either party gives students more protection, that protection applies.',
    ],
  },
  {
    key: 'signatures',
    category: 'administration',
    title: 'Signatures',
    summary: 'Introduces the people who sign the agreement on behalf of each party.',
    body: [
      'By signing below, the parties agree to this memorandum of understanding, effective {{effectiveDate}}.',
      '{{superintendent}}, Superintendent, and {{boardPresident}}, President of the Board of Education, sign for {{district}}. {{chiefOfPolice}}, Chief of Police, signs for {{policeDepartment}}.',
      'Each person signing confirms that they are authorized to sign for the party they represent.',
    ],
  },
]

/** The model MOU: a complete starting draft assembled from the library, in order. */
export const MODEL_MOU: { title: string; preamble: string[]; clauseKeys: readonly string[] } = {
  title: 'Memorandum of Understanding between {{district}} and {{policeDepartment}}',
  preamble: [
    'This agreement is between {{district}}, which runs the public schools, and {{policeDepartment}}, which provides police services in {{city}}.',
    'The {{district}} Board of Education voted to reduce the presence of police in schools, to end the assignment of school resource officers, and to redirect that money to mental-health services, psychologists, social workers and restorative-justice practitioners. The Board asked for a new agreement that sets out the narrower role police will continue to have.',
    'Both parties want every student to be safe, to be treated fairly, and to stay in school and out of the justice system whenever possible. They agree to the terms that follow.',
  ],
  clauseKeys: [
    'purpose',
    'definitions',
    'police-role',
    'officer-limits',
    'calling-police',
    'officers-on-campus',
    'mental-health-response',
    'threat-assessment',
    'emergency-planning',
    'arrests-citations-referrals',
    'questioning',
    'searches',
    'use-of-force',
    'students-with-disabilities',
    'fair-treatment',
    'restorative-practices',
    'training',
    'student-records',
    'body-worn-cameras',
    'family-information',
    'complaints',
    'public-reporting',
    'advisory-committee',
    'funding-reallocation',
    'response-costs',
    'liaisons',
    'review-amendment',
    'term-termination',
    'dispute-resolution',
    'severability',
    'signatures',
  ],
}
